"""Tests the asset-host reading of a page: the seed-000 Rails page that loads its assets from a
CloudFront domain while the app itself is served by the ALB."""

from __future__ import annotations

from wizard.analysis.edge.page_assets import asset_hosts

RAILS_PAGE = """<!DOCTYPE html>
<html>
<head>
  <title>Shop</title>
  <meta name="csrf-token" content="abc">
  <link rel="stylesheet" href="https://d1a2b3c4d5e6f7.cloudfront.net/assets/application-3f2a.css" media="all">
  <link rel="preload" as="font" href="//d1a2b3c4d5e6f7.cloudfront.net/assets/font-9c1b.woff2" crossorigin>
  <link rel="modulepreload" href="https://d1a2b3c4d5e6f7.cloudfront.net/assets/app-1.js">
  <link rel="canonical" href="https://www.example.com/">
  <script src="https://d1a2b3c4d5e6f7.cloudfront.net/assets/application-7d9e.js" defer></script>
  <script type="module" src="/packs/main.js"></script>
  <script>window.inline = true;</script>
</head>
<body>
  <img src="images/logo.png" srcset="images/logo@2x.png 2x, https://img.example.net/logo@3x.png 3x" alt="">
  <img src="data:image/png;base64,iVBORw0KGgo=">
  <a href="https://elsewhere.example.org/">not an asset</a>
</body>
</html>"""


def by_host(refs):
    return {r.host: r for r in refs}


def test_cloudfront_asset_host_is_flagged():
    """The CloudFront host is found and flagged, with every kind of tag that used it."""
    refs = by_host(asset_hosts(RAILS_PAGE, "https://www.example.com/products"))
    cf = refs["d1a2b3c4d5e6f7.cloudfront.net"]
    assert cf.cloudfront
    assert cf.count == 4
    assert set(cf.kinds) == {"stylesheet", "preload", "module", "script"}
    assert cf.example == "https://d1a2b3c4d5e6f7.cloudfront.net/assets/application-3f2a.css"


def test_relative_and_srcset_urls_resolve_against_the_page():
    """Relative paths resolve to the page's host; srcset candidates count as images."""
    refs = by_host(asset_hosts(RAILS_PAGE, "https://www.example.com/products"))
    own = refs["www.example.com"]
    assert own.same_host and not own.cloudfront
    assert own.count == 3  # /packs/main.js, images/logo.png, images/logo@2x.png
    assert own.example == "https://www.example.com/packs/main.js"
    assert refs["img.example.net"].kinds == ("image",)


def test_links_and_data_urls_are_not_assets():
    """<a href>, <link rel=canonical> and data: URLs load nothing from a host."""
    hosts = [r.host for r in asset_hosts(RAILS_PAGE, "https://www.example.com/")]
    assert "elsewhere.example.org" not in hosts
    assert hosts == ["d1a2b3c4d5e6f7.cloudfront.net", "www.example.com", "img.example.net"]


def test_base_href_changes_where_relative_assets_come_from():
    """A <base href> on a CloudFront domain sends relative assets there."""
    html = '<head><base href="https://dxyz.cloudfront.net/static/"><script src="app.js"></script></head>'
    refs = asset_hosts(html, "https://www.example.com/")
    assert [(r.host, r.example, r.cloudfront) for r in refs] == [
        ("dxyz.cloudfront.net", "https://dxyz.cloudfront.net/static/app.js", True)]


def test_signed_asset_url_example_is_redacted():
    """A signed asset URL's signature does not reach the report."""
    html = '<img src="https://d9.cloudfront.net/p.png?Expires=1700000000&Signature=abcDEF123&Key-Pair-Id=K2JCJ">'
    (ref,) = asset_hosts(html, "https://www.example.com/")
    assert "abcDEF123" not in ref.example and "K2JCJ" not in ref.example
    assert "Expires=1700000000" in ref.example


def test_broken_html_still_yields_what_was_read():
    """Unclosed tags and junk do not stop the reading."""
    html = '<html><head><script src="https://cdn.example.com/a.js"><div <<< ><link rel=stylesheet href=/x.css'
    hosts = [r.host for r in asset_hosts(html, "http://app.example.com/")]
    assert "cdn.example.com" in hosts


def test_empty_page_has_no_assets():
    """No HTML, no hosts."""
    assert asset_hosts("", "https://www.example.com/") == []


def test_each_request_says_whether_the_browser_uses_cors_for_it():
    """crossorigin, type=module, modulepreload and font preloads are CORS mode; plain tags are not."""
    from wizard.analysis.edge.page_assets import asset_requests

    modes = {r.url.rsplit("/", 1)[-1]: (r.mode, r.how) for r in asset_requests(RAILS_PAGE, "https://www.example.com/")}
    assert modes["application-3f2a.css"] == ("no-cors", "<link rel=stylesheet> without crossorigin")
    assert modes["font-9c1b.woff2"][0] == "cors"
    assert modes["app-1.js"] == ("cors", "<link rel=modulepreload>")
    assert modes["application-7d9e.js"] == ("no-cors", "a classic <script> without crossorigin")
    assert modes["main.js"] == ("cors", "<script type=module>")
    assert modes["logo.png"][0] == "no-cors"


def test_inline_font_faces_and_literal_fetches_are_cors_requests():
    from wizard.analysis.edge.page_assets import asset_requests

    html = ("<style>@font-face{font-family:B;src:url('https://cdn.example.net/b.woff2')}"
            "body{background:url(/bg.png)}</style>"
            "<script>fetch('https://api.example.net/items.json'); x.open('GET', '/x.json')</script>")
    got = {(r.url, r.mode) for r in asset_requests(html, "https://www.example.com/")}
    assert got == {("https://cdn.example.net/b.woff2", "cors"), ("https://api.example.net/items.json", "cors"),
                   ("https://www.example.com/x.json", "cors")}
