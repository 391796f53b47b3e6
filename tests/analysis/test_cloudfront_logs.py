"""CloudFront standard log parsing: AWS's documented sample, headers that change, damaged lines."""

from __future__ import annotations

from wizard.analysis.logs.cloudfront_logs import DEFAULT_FIELDS, parse_cloudfront

# The example log file from the CloudFront Developer Guide ("Standard log file fields"), verbatim,
# including the trailing tab on the third entry.
AWS_SAMPLE = (
    "#Version: 1.0\n"
    "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
    "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol "
    "cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type "
    "cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte "
    "x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end\n"
    "2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.100\tGET\td111111abcdef8.cloudfront.net\t/index.html\t200\t-\t"
    "Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)"
    "%20Chrome/78.0.3904.108%20Safari/537.36\t-\t-\tHit\tSOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==\t"
    "d111111abcdef8.cloudfront.net\thttps\t23\t0.001\t-\tTLSv1.2\tECDHE-RSA-AES128-GCM-SHA256\tHit\tHTTP/2.0\t-\t-\t"
    "11040\t0.001\tHit\ttext/html\t78\t-\t-\n"
    "2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.100\tGET\td111111abcdef8.cloudfront.net\t/index.html\t200\t-\t"
    "Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)"
    "%20Chrome/78.0.3904.108%20Safari/537.36\t-\t-\tHit\tk6WGMNkEzR5BEM_SaF47gjtX9zBDO2m349OY2an0QPEaUum1ZOLrow==\t"
    "d111111abcdef8.cloudfront.net\thttps\t23\t0.000\t-\tTLSv1.2\tECDHE-RSA-AES128-GCM-SHA256\tHit\tHTTP/2.0\t-\t-\t"
    "11040\t0.000\tHit\ttext/html\t78\t-\t-\n"
    "2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.100\tGET\td111111abcdef8.cloudfront.net\t/index.html\t200\t-\t"
    "Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)"
    "%20Chrome/78.0.3904.108%20Safari/537.36\t-\t-\tHit\tf37nTMVvnKvV2ZSvEsivup_c2kZ7VXzYdjC-GUQZ5qNs-89BlWazbw==\t"
    "d111111abcdef8.cloudfront.net\thttps\t23\t0.001\t-\tTLSv1.2\tECDHE-RSA-AES128-GCM-SHA256\tHit\tHTTP/2.0\t-\t-\t"
    "11040\t0.001\tHit\ttext/html\t78\t-\t-\t\n"
    "2019-12-13\t22:36:27\tSEA19-C1\t900\t192.0.2.200\tGET\td111111abcdef8.cloudfront.net\t/favicon.ico\t502\t"
    "http://www.example.com/\tMozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,"
    "%20like%20Gecko)%20Chrome/78.0.3904.108%20Safari/537.36\t-\t-\tError\t"
    "1pkpNfBQ39sYMnjjUQjmH2w1wdJnbHYTbag21o_3OfcQgPzdL2RSSQ==\twww.example.com\thttp\t675\t0.102\t-\t-\t-\tError\t"
    "HTTP/1.1\t-\t-\t25260\t0.102\tOriginDnsError\ttext/html\t507\t-\t-\n"
    "2019-12-13\t22:36:26\tSEA19-C1\t900\t192.0.2.200\tGET\td111111abcdef8.cloudfront.net\t/\t502\t-\t"
    "Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)"
    "%20Chrome/78.0.3904.108%20Safari/537.36\t-\t-\tError\t3AqrZGCnF_g0-5KOvfA7c9XLcf4YGvMFSeFdIetR1N_2y8jSis8Zxg==\t"
    "www.example.com\thttp\t735\t0.107\t-\t-\t-\tError\tHTTP/1.1\t-\t-\t3802\t0.107\tOriginDnsError\ttext/html\t507\t-\t-\n"
    "2019-12-13\t22:37:02\tSEA19-C2\t900\t192.0.2.200\tGET\td111111abcdef8.cloudfront.net\t/\t502\t-\tcurl/7.55.1\t"
    "-\t-\tError\tkBkDzGnceVtWHqSCqBUqtA_cEs2T3tFUBbnBNkB9El_uVRhHgcZfcw==\twww.example.com\thttp\t387\t0.103\t-\t-\t-\t"
    "Error\tHTTP/1.1\t-\t-\t12644\t0.103\tOriginDnsError\ttext/html\t507\t-\t-\n"
)

HEADER = "#Fields: " + " ".join(DEFAULT_FIELDS)


def _values(**overrides):
    """A full 33-value CloudFront entry with sensible defaults, by field name."""
    base = {f: "-" for f in DEFAULT_FIELDS}
    base.update({
        "date": "2025-08-28", "time": "05:49:25", "x-edge-location": "NRT20-P2", "sc-bytes": "900",
        "c-ip": "54.249.34.116", "cs-method": "GET", "cs(Host)": "d111111abcdef8.cloudfront.net",
        "cs-uri-stem": "/company/30", "sc-status": "504", "x-edge-result-type": "Error",
        "x-edge-request-id": "abc==", "x-host-header": "www.example.com", "cs-protocol": "https",
        "cs-bytes": "300", "time-taken": "10.004", "x-edge-detailed-result-type": "OriginError",
    })
    base.update({k.replace("_", "-"): v for k, v in overrides.items()})
    return base


def _line(fields=DEFAULT_FIELDS, **overrides):
    values = _values(**overrides)
    return "\t".join(values.get(f, "-") for f in fields)


def test_aws_sample_log_parses_every_entry():
    """All six entries of AWS's documented sample come out as records, none counted as malformed."""
    parsed = parse_cloudfront(AWS_SAMPLE.splitlines(True))
    records = list(parsed)
    assert len(records) == 6
    assert parsed.stats.malformed == 0
    assert parsed.stats.comments == 2


def test_aws_sample_fields_land_by_header_name():
    """The first sample entry's values sit under the right field names."""
    first = list(parse_cloudfront(AWS_SAMPLE.splitlines(True)))[0]
    assert first["date"] == "2019-12-04"
    assert first["time"] == "21:02:31"
    assert first["x-edge-location"] == "LAX1"
    assert first["c-ip"] == "192.0.2.100"
    assert first["cs(Host)"] == "d111111abcdef8.cloudfront.net"
    assert first["sc-status"] == "200"
    assert first["x-edge-result-type"] == "Hit"
    assert first["time-taken"] == "0.001"
    assert first["c-port"] == "11040"
    assert first["sc-content-len"] == "78"


def test_url_encoded_values_are_decoded():
    """The user agent reads as a person would write it, not with %20s."""
    first = list(parse_cloudfront(AWS_SAMPLE.splitlines(True)))[0]
    assert first["cs(User-Agent)"].startswith("Mozilla/5.0 (Windows NT 10.0; Win64; x64)")


def test_dash_means_empty():
    """A `-` value (no referrer, no query string) comes out as None."""
    first = list(parse_cloudfront(AWS_SAMPLE.splitlines(True)))[0]
    assert first["cs(Referer)"] is None
    assert first["cs-uri-query"] is None


def test_origin_error_entries_keep_their_detailed_result_type():
    """The sample's 502s carry x-edge-detailed-result-type OriginDnsError and their referrer."""
    records = list(parse_cloudfront(AWS_SAMPLE.splitlines(True)))
    errors = [r for r in records if r["sc-status"] == "502"]
    assert [r["x-edge-detailed-result-type"] for r in errors] == ["OriginDnsError"] * 3
    assert errors[0]["cs(Referer)"] == "http://www.example.com/"
    assert errors[0]["x-host-header"] == "www.example.com"


def test_header_with_an_unknown_field_still_parses():
    """A field AWS adds later (named in #Fields) is kept, and the known fields stay right."""
    fields = list(DEFAULT_FIELDS)
    fields.insert(5, "x-new-field")
    values = _values()
    values["x-new-field"] = "new%20value"
    text = ["#Version: 1.0", "#Fields: " + " ".join(fields), "\t".join(values[f] for f in fields)]
    (record,) = list(parse_cloudfront(text))
    assert record["x-new-field"] == "new value"
    assert record["cs-method"] == "GET"
    assert record["x-edge-detailed-result-type"] == "OriginError"


def test_older_header_with_fewer_fields_parses():
    """A 24-field log from before AWS added c-port and friends parses by its own header."""
    fields = list(DEFAULT_FIELDS[:24])
    text = ["#Fields: " + " ".join(fields), _line(fields)]
    parsed = parse_cloudfront(text)
    (record,) = list(parsed)
    assert len(record) == 24
    assert "x-edge-detailed-result-type" not in record
    assert record["time-taken"] == "10.004"
    assert parsed.stats.malformed == 0


def test_lines_before_any_header_use_the_documented_order_and_say_so():
    """Header-less lines are read in AWS's default order, with a note saying that is what happened."""
    parsed = parse_cloudfront([_line()])
    (record,) = list(parsed)
    assert record["cs-uri-stem"] == "/company/30"
    assert record["x-edge-detailed-result-type"] == "OriginError"
    assert any("default field order" in note for note in parsed.stats.notes)


def test_torn_line_is_counted_and_skipped():
    """A line cut off mid-way is counted as malformed; the lines around it still parse."""
    full = _line()
    torn = full[: len(full) // 2]
    parsed = parse_cloudfront([HEADER, full, torn, full])
    assert len(list(parsed)) == 2
    assert parsed.stats.malformed == 1


def test_two_lines_run_together_are_counted_not_merged():
    """Under a header, a line carrying a second entry's values is malformed, not a wrong record."""
    full = _line()
    parsed = parse_cloudfront([HEADER, full + "\t" + full])
    assert list(parsed) == []
    assert parsed.stats.malformed == 1


def test_garbage_lines_are_counted():
    """Text that is not a log entry is counted as malformed and never raises."""
    parsed = parse_cloudfront([HEADER, "hello world", "\x00\x01\x02", "a\tb\tc", _line()])
    assert len(list(parsed)) == 1
    assert parsed.stats.malformed == 3
    assert parsed.stats.malformed_examples[0] == "hello world"


def test_encoded_tab_inside_a_value_does_not_split_it():
    """A %09 in a value decodes to a tab inside that value; the columns after it stay in place."""
    (record,) = list(parse_cloudfront([HEADER, _line(cs_uri_stem="/a%09b")]))
    assert record["cs-uri-stem"] == "/a\tb"
    assert record["sc-status"] == "504"


def test_a_second_header_changes_the_columns():
    """Concatenated files: each #Fields line applies to the lines after it."""
    short = list(DEFAULT_FIELDS[:19])
    text = [HEADER, _line(), "#Fields: " + " ".join(short), _line(short, time="06:00:00")]
    records = list(parse_cloudfront(text))
    assert len(records) == 2
    assert records[1]["time"] == "06:00:00"
    assert "c-port" not in records[1]


def test_windows_line_ends_are_accepted():
    """CRLF line ends do not leak into the last field."""
    (record,) = list(parse_cloudfront([HEADER + "\r\n", _line(sc_range_end="99") + "\r\n"]))
    assert record["sc-range-end"] == "99"
