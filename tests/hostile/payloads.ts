/** Hostile values for any text field, by family. Strings are sent form-encoded (UTF-8). */
export const FIELD_PAYLOADS: Record<string, string[]> = {
  sql: [
    "' OR '1'='1",
    "'; DROP TABLE signatures; --",
    '" OR ""="',
    "1' UNION SELECT name_enc, email_enc FROM signatures --",
    "Robert'); DELETE FROM campaign_counts; --",
    "x' AND (SELECT count(*) FROM sqlite_master) > 0 --",
  ],
  script: [
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    "javascript:alert('x')",
    '<svg/onload=alert(1)>',
    '</textarea><script>alert(1)</script>',
    '{{constructor.constructor("alert(1)")()}}',
    '${process.exit(1)}',
    '__proto__',
  ],
  html: ['<b>Bold</b> Name', '<style>body{display:none}</style>', '<a href="//evil.example">Click</a>', '<iframe src="//evil.example"></iframe>', 'Name<!--', '&lt;script&gt;'],
  css: ['x{background:url(//evil.example/a)}', 'expression(alert(1))', '@import "//evil.example/x.css";'],
  crlf: ['Name\r\nBcc: victim@example.org', 'a@example.org\r\nBcc: victim@example.org', 'Name\nSet-Cookie: session=1', 'a@example.org%0d%0aBcc:victim@example.org', 'Name\r\n\r\n<h1>Injected</h1>'],
  length: ['', ' ', '\t \t', 'a'.repeat(101), 'a'.repeat(10_000), `${'a'.repeat(250)}@example.org`, 'ب'.repeat(101), '👩‍👩‍👧'.repeat(40)],
  control: ['Name\u0000With NUL', '\u0000', 'Name\u0007Bell', 'Name\u001b[31mRed', '\uFEFFName', 'Name\u2028Line'],
  bidi: ['\u202Eevil\u202C', 'Maryam\u202Egro.live', '\u2066Name\u2069', 'Name\u200F\u202B', '\u061C\u202D'],
  homoglyph: ['Маrуаm Ехаmрlе', 'Ꭺdmin', 'ΑΒΓ Greek', 'раураl', 'ｆｕｌｌｗｉｄｔｈ'],
  formula: ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1:A9)', '\t=1+1', '=cmd|\' /C calc\'!A0'],
  url: ['Visit evil.com', 'http://evil.example', 'www.evil.example', 'Name evil.ir'],
  unicode: ['\uFFFD\uFFFD', '\uD800', 'Ω≈ç√∫', 'مریم احمدی', 'Zoë Ñúñez', '李小龙', 'A\u200CB'],
}

/** Values for the country field on top of the general ones. */
export const COUNTRY_PAYLOADS = ['XX', 'ir', 'IRN', 'EU', 'UN', '../../etc/passwd', 'SE\r\n', 'ZZ ', '00', '__proto__', 'constructor']

/** Values for ?lang= on every page. */
export const LANG_PAYLOADS = ['xx', 'EN', 'fa-IR', '../../../etc/passwd', '<script>alert(1)</script>', 'en%0d%0aSet-Cookie:%20evil=1', '%00', 'en&lang=fa', 'constructor', '']

/** Token path segments: none is a real token. */
export const TOKEN_PAYLOADS = [
  'x',
  'a'.repeat(129),
  'a'.repeat(5000),
  "' OR '1'='1",
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '%FF%FE',
  '%C3%28',
  'null',
  'undefined',
  '__proto__',
]

/** Raw request paths (sent as they are, not normalised) that try to escape or redirect. */
export const PATH_PAYLOADS = [
  '/../../../../etc/passwd',
  '/..%2F..%2F..%2Fetc%2Fpasswd',
  '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '/build/../../package.json',
  '/build/..%2F..%2Fpackage.json',
  '/favicon.svg/..%2F..%2Fserver%2Fapp.ts',
  '/public/../server/app.ts',
  '/build/%2e%2e/%2e%2e/data/secrets.json',
  '/data/secrets.json',
  '/.env',
  '/.git/config',
  '/build/server.js',
  '/build/index.js',
  '/node_modules/react/package.json',
  '//evil.example/',
  '/\\evil.example/',
  '/%2F%2Fevil.example',
  '/%5C%5Cevil.example',
  '/campaigns/..%2F..%2Fevil.example',
  `/campaigns/justice-for-1988/../../..//evil.example`,
  '/?redirectTo=https://evil.example',
  '/campaigns/justice-for-1988?redirect=//evil.example',
  '/s/confirm/x?next=https://evil.example',
  '/campaigns/%00',
  '/campaigns/%FF%FE',
  '/campaigns/' + 'a'.repeat(3000),
  '/campaigns/justice-for-1988.json.csv',
  '/campaigns/justice-for-1988.xml',
  '/dev/mailbox/-1',
  '/dev/mailbox/1e309',
  '/dev/mailbox/9007199254740993',
  '/dev/mailbox/NaN',
  "/dev/mailbox/1' OR '1'='1",
  '/dev/mailbox/..%2F..%2Fpackage.json/html',
]

/** Bodies of the wrong kind for a form. */
export const BODY_PAYLOADS: { name: string; contentType: string | null; body: string | Buffer }[] = [
  { name: 'JSON where a form is expected', contentType: 'application/json', body: JSON.stringify({ name: 'Json Signer', email: 'json@example.org', country: 'SE' }) },
  { name: 'JSON array', contentType: 'application/json', body: '[1,2,3]' },
  { name: 'broken JSON', contentType: 'application/json', body: '{"name":' },
  { name: 'XML', contentType: 'application/xml', body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>' },
  { name: 'text/plain', contentType: 'text/plain', body: 'name=Plain&email=plain@example.org&country=SE' },
  { name: 'no content type', contentType: null, body: 'name=None&email=none@example.org&country=SE' },
  { name: 'multipart with a file for the name', contentType: 'multipart/form-data; boundary=XyZ', body: '--XyZ\r\nContent-Disposition: form-data; name="name"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile body\r\n--XyZ\r\nContent-Disposition: form-data; name="email"\r\n\r\nfile@example.org\r\n--XyZ\r\nContent-Disposition: form-data; name="country"\r\n\r\nSE\r\n--XyZ--\r\n' },
  { name: 'multipart without a boundary', contentType: 'multipart/form-data', body: 'name=x' },
  { name: 'broken multipart', contentType: 'multipart/form-data; boundary=XyZ', body: '--XyZ\r\nContent-Disposition: form-data; name="name"\r\n\r\nno end' },
  { name: 'invalid UTF-8 in a form', contentType: 'application/x-www-form-urlencoded', body: Buffer.concat([Buffer.from('name=Bad'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('&email=utf8@example.org&country=SE')]) },
  { name: 'percent-encoded invalid UTF-8', contentType: 'application/x-www-form-urlencoded', body: 'name=Bad%C3%28%FF&email=pct@example.org&country=SE' },
  { name: 'NUL bytes in a form', contentType: 'application/x-www-form-urlencoded', body: 'name=Nul%00Name&email=nul%00@example.org&country=SE' },
  { name: 'repeated fields', contentType: 'application/x-www-form-urlencoded', body: 'name=A&name=B&email=rep@example.org&email=rep2@example.org&country=SE&country=IR' },
  { name: 'fields as arrays and objects', contentType: 'application/x-www-form-urlencoded', body: 'name[]=A&email[x]=b@example.org&country[0]=SE' },
  { name: 'prototype pollution', contentType: 'application/x-www-form-urlencoded', body: '__proto__[admin]=1&constructor[prototype][admin]=1&name=Proto&email=proto@example.org&country=SE' },
  { name: 'urlencoded with a charset', contentType: 'application/x-www-form-urlencoded; charset=ISO-8859-1', body: 'name=Caf%E9&email=latin@example.org&country=SE' },
  { name: '10 MB body', contentType: 'application/x-www-form-urlencoded', body: `name=${'a'.repeat(10 * 1024 * 1024)}` },
  { name: '20 kB body', contentType: 'application/x-www-form-urlencoded', body: `name=x&email=big@example.org&country=SE&pad=${'a'.repeat(20 * 1024)}` },
]

/** Hostile request headers, each sent to the campaign page. */
export const HEADER_PAYLOADS: Record<string, string>[] = [
  { Host: 'evil.example' },
  { 'X-Forwarded-Host': 'evil.example' },
  { 'X-Forwarded-For': '1.2.3.4, <script>' },
  { 'X-Forwarded-Proto': 'javascript' },
  { 'Accept-Language': 'xx-<script>,fa;q=abc,*;q=-1' },
  { 'Accept-Language': 'a'.repeat(8000) },
  { Cookie: 'lang=<script>alert(1)</script>' },
  { Cookie: 'lang=%E0%A4%A' },
  { Cookie: 'lang=fa; lang=en; __proto__=1' },
  { Referer: 'javascript:alert(1)' },
  { Referer: 'http://evil.example/<script>' },
  { Referer: 'not a url' },
  { 'User-Agent': '<script>alert(1)</script>' },
  { Accept: 'application/json' },
  { 'If-None-Match': '*' },
  { Range: 'bytes=0-10,5-20,100000000-' },
]
