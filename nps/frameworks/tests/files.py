"""Small framework files for the tests: MINIMAL, a good one, and REFUSED, those that every way in (the browser, the
API, `nps load_framework`) refuses with the problem and its place, saving nothing. Each of those once gave a server
error or a traceback, or was saved when it should not have been."""

MINIMAL = """
format: nps-framework/1
framework: {code: tiny, title: Tiny}
version: {code: "1", title: Tiny 1}
themes:
  - code: theme
    title: Theme
    key_areas:
      - code: area
        title: Area
        description: D.
        what_it_is: W.
        why_it_is_important: Y.
        levels: {minimum: a, developing: b, mature: c, leader: d, innovator: e}
"""

# name: (the file's bytes, the problem listed)
REFUSED = {
    "nested 20,000 levels deep": (
        ("format: nps-framework/1\nthemes: " + "[" * 20_000 + "]" * 20_000).encode(),
        "line 2, column 28: nests more than 20 levels deep",
    ),
    "an impossible date": (
        MINIMAL.replace("title: Tiny 1}", "title: Tiny 1, published_on: 2018-02-30}").encode(),
        "line 4, column 51: '2018-02-30' is not a date that exists (day is out of range for month)",
    ),
    "a 300-character index code": (
        MINIMAL.replace("code: area", "code: " + "a" * 300).encode(),
        "themes[0].key_areas[0].code: is 300 characters long: it can be at most 60",
    ),
    "a key given twice": (
        MINIMAL.replace("title: Area", "title: Area\n        title: Another area").encode(),
        "line 11, column 9: gives 'title' a second time in the same mapping (first on line 10)",
    ),
    "not UTF-8": (
        MINIMAL.replace("title: Area", "title: Caf\u00e9 area").encode("latin-1"),
        "line 10: is not UTF-8 text (byte 192 cannot be read): save the file as UTF-8",
    ),
    "a NUL character": (
        MINIMAL.replace("title: Area", 'title: "Area\\0"').encode(),
        "themes[0].key_areas[0] (area).title: holds a character that cannot be saved (NUL, or half a surrogate pair)",
    ),
}
