// Copies GOV.UK Frontend's JavaScript into nps/static/ and checks the
// compiled CSS. Run via `npm run build` (after `npm run build:css`).
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const pkgDir = dirname(require.resolve('govuk-frontend/package.json'))
const { version } = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8'))

// 1. JavaScript: the ES module bundle. Drop the sourceMappingURL comment:
// we do not ship the .map, and Django's ManifestStaticFilesStorage fails on
// references to missing files.
const js = await readFile(join(pkgDir, 'dist/govuk/govuk-frontend.min.js'), 'utf8')
const banner = `/*! govuk-frontend ${version} | MIT Licence | https://github.com/alphagov/govuk-frontend */\n`
const outJs = join(root, 'nps/static/govuk/govuk-frontend.min.js')
await mkdir(dirname(outJs), { recursive: true })
await writeFile(outJs, banner + js.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n'))

// 2. Check the CSS: no GDS Transport font files, no crown/crest images, and
// every url() points at a file we ship.
const css = await readFile(join(root, 'nps/static/css/application.css'), 'utf8')
const problems = []
if (/woff|GDS Transport/i.test(css)) problems.push('references GDS Transport / woff font files')
if (/crest|crown/i.test(css.replace(/govuk-footer__crown/g, ''))) problems.push('references the GOV.UK crown or crest')
for (const [, url] of css.matchAll(/url\(["']?([^"')]+)["']?\)/g)) {
  if (url.startsWith('data:')) continue
  try {
    await readFile(join(root, 'nps', url))
  } catch {
    problems.push(`url(${url}) points at a file that is not in nps/static/`)
  }
}
if (problems.length) {
  console.error(`nps/static/css/application.css: ${problems.join('; ')}`)
  process.exit(1)
}
console.log(`Built application.css (${css.length} bytes) and govuk-frontend ${version} JS`)
