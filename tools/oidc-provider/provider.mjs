// A real OpenID Connect provider for the single sign-on tests (nps/accounts/tests/test_single_sign_on.py), on
// 127.0.0.1 only. It uses oidc-provider's development sign-in page, where any name and password sign in: the name is
// the person's email address, which the provider vouches for as verified. Nothing here is for production.
//
//   PORT=0 CLIENT_ID=nps CLIENT_SECRET=... REDIRECT_URI=http://testserver/... node provider.mjs
//
// It prints `listening on <issuer>` once it answers, and serves until it is stopped.
import { createServer } from "node:http";

import Provider from "oidc-provider";

const { CLIENT_ID, CLIENT_SECRET, REDIRECT_URI } = process.env;
if (!CLIENT_ID || !CLIENT_SECRET || !REDIRECT_URI) {
  console.error("Set CLIENT_ID, CLIENT_SECRET and REDIRECT_URI.");
  process.exit(2);
}

const server = createServer();
server.listen(Number(process.env.PORT || 0), "127.0.0.1", () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [REDIRECT_URI],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["given_name", "family_name"] },
    findAccount: (ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: id, email_verified: true, given_name: "Single", family_name: "Sign-On" }),
    }),
    // The service is the organisation's own: no consent page, as with a council's Entra ID.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["test-identity-provider-only"] },
  });
  server.on("request", provider.callback());
  console.log(`listening on ${issuer}`);
});
