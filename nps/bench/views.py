from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

LARGEST_PAGE = 10 * 1024 * 1024


def floor(request: HttpRequest) -> HttpResponse:
    """A page of `?bytes=N` bytes and nothing else: what the same server and middleware cost without the app's work."""
    size = request.GET.get("bytes", "0")
    if not size.isdigit() or int(size) > LARGEST_PAGE:
        return HttpResponseBadRequest(f"bytes must be a whole number up to {LARGEST_PAGE}")
    return HttpResponse("x" * int(size), content_type="text/html; charset=utf-8")
