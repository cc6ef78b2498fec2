#!/usr/bin/env python3
"""Checks a petition letter's certificate against the campaign's public log, offline.

Python 3.8+ standard library only (Ed25519 verification per RFC 8032 is implemented below).
Specification: docs/certificate.md of the platform.

  python3 verify_letter.py CERTIFICATE.json KEYS.json [ENTRY_BUNDLE ...] [--latest CHECKPOINT]
                          [--witness WITNESS_KEY ...] [--cosigned CHECKPOINT ...]

CERTIFICATE.json  from /verify/<code>/certificate.json
KEYS.json         from /.well-known/petition-log-keys
ENTRY_BUNDLE      the log's entry bundles in order (/campaigns/<slug>/log/tile/entries/000[.p/W], ...):
                  with them the count is recounted from the log
CHECKPOINT        the log's latest checkpoint (/campaigns/<slug>/log/checkpoint): with it and the
                  entries, a rolled-back or forked log is detected
WITNESS_KEY       a witness's public key, <name>+<hash>+<key> (C2SP signed-note form, key type 0x04),
                  taken from the witness itself, never from the platform: each must have cosigned
                  (C2SP tlog-cosignature, cosignature/v1) the checkpoint the letter cites or the latest
CHECKPOINT after --cosigned: a cosigned copy of one of those checkpoints (from a witness, or
                  /campaigns/<slug>/log/checkpoint?size=<size>); --latest's cosignatures count too

Exit status 0 when every check holds, 1 when one fails (each failure is named), 2 on bad usage.
"""
import base64, binascii, hashlib, json, re, sys

# --- Ed25519 verification (RFC 8032 section 5.1.7), pure Python --------------------------------
P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
I = pow(2, (P - 1) // 4, P)

def _xrecover(y, sign):
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * I % P
    if (x * x - x2) % P != 0:
        return None
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = P - x
    return x

def _decode_point(b):
    if len(b) != 32:
        return None
    y = int.from_bytes(b, 'little')
    sign = y >> 255
    y &= (1 << 255) - 1
    if y >= P:
        return None
    x = _xrecover(y, sign)
    return None if x is None else (x, y, 1, x * y % P)

def _add(p, q):
    x1, y1, z1, t1 = p
    x2, y2, z2, t2 = q
    a = (y1 - x1) * (y2 - x2) % P
    b = (y1 + x1) * (y2 + x2) % P
    c = 2 * t1 * t2 * D % P
    d = 2 * z1 * z2 % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % P, g * h % P, f * g % P, e * h % P)

def _mul(s, p):
    q = (0, 1, 1, 0)
    while s:
        if s & 1:
            q = _add(q, p)
        p = _add(p, p)
        s >>= 1
    return q

def _eq(p, q):
    return (p[0] * q[2] - q[0] * p[2]) % P == 0 and (p[1] * q[2] - q[1] * p[2]) % P == 0

_GY = 4 * pow(5, P - 2, P) % P
G = (_xrecover(_GY, 0), _GY, 1, _xrecover(_GY, 0) * _GY % P)

def ed25519_verify(public, message, signature):
    if len(signature) != 64:
        return False
    a = _decode_point(public)
    r = _decode_point(signature[:32])
    s = int.from_bytes(signature[32:], 'little')
    if a is None or r is None or s >= L:
        return False
    k = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), 'little') % L
    return _eq(_mul(8 * s, G), _add(_mul(8, r), _mul(8 * k, a)))

# --- Strict parsing ---------------------------------------------------------------------------
class Refused(Exception):
    pass

def b64(text, what):
    if not isinstance(text, str) or not re.fullmatch(r'[A-Za-z0-9+/]*={0,2}', text) or len(text) % 4:
        raise Refused(what + ' is not canonical base64')
    raw = base64.b64decode(text, validate=True)
    if base64.b64encode(raw).decode() != text:
        raise Refused(what + ' is not canonical base64')
    return raw

def strict_json(text):
    def pairs(items):
        out = {}
        for k, v in items:
            if k in out:
                raise Refused('duplicate key "%s"' % k)
            out[k] = v
        return out
    def no_float(s):
        raise Refused('a number that is not an integer: ' + s)
    def no_constant(s):
        raise Refused('not JSON: ' + s)
    return json.loads(text, object_pairs_hook=pairs, parse_float=no_float, parse_constant=no_constant)

CERT_FIELDS = {'type', 'version', 'letterId', 'code', 'reference', 'campaign', 'country', 'language', 'letterVersion', 'createdAt',
               'countryCount', 'totalCount', 'countryTotal', 'namedCount', 'merkleRoot', 'leafCount', 'pdfDigest', 'keyId', 'log'}
INT_FIELDS = {'version', 'letterVersion', 'countryCount', 'totalCount', 'countryTotal', 'namedCount', 'leafCount'}

def check_shape(doc):
    if not isinstance(doc, dict) or set(doc) - {'certificate', 'algorithm', 'signature', 'recipientSalt'} or not {'certificate', 'algorithm', 'signature'} <= set(doc):
        raise Refused('the certificate file has unknown or missing fields')
    c = doc['certificate']
    # openings (ADR 129) is optional: certificates made before have none.
    if not isinstance(c, dict) or not CERT_FIELDS <= set(c) or set(c) - CERT_FIELDS - {'openings'}:
        raise Refused('the certificate has unknown or missing fields: %s' % sorted((set(c) ^ CERT_FIELDS) - {'openings'}))
    if c.get('openings') is not None and not isinstance(c['openings'], list):
        raise Refused('openings is not a list')
    for k in CERT_FIELDS - INT_FIELDS - {'log'}:
        if not isinstance(c[k], str):
            raise Refused('%s is not a string' % k)
    for k in INT_FIELDS:
        if type(c[k]) is not int:
            raise Refused('%s is not an integer' % k)
    log = c['log']
    if log is not None:
        if not isinstance(log, dict) or set(log) != {'size', 'root', 'checkpoint', 'previous'} or type(log['size']) is not int:
            raise Refused('the certificate\'s log field is malformed')
        prev = log['previous']
        if prev is not None and (not isinstance(prev, dict) or set(prev) != {'code', 'logSize', 'logRoot', 'consistency'} or type(prev['logSize']) is not int
                                 or not isinstance(prev['consistency'], list)):
            raise Refused('the certificate\'s previous letter field is malformed')
    return c

def canonical_json(value):
    """The signed bytes: JSON with keys sorted, no spaces (as the platform's canonicalJson)."""
    return json.dumps(value, sort_keys=True, separators=(',', ':'), ensure_ascii=False).encode('utf-8')

# --- Signed notes, checkpoints, keys (C2SP signed-note, tlog-checkpoint) -----------------------
def parse_verifier_key(vkey):
    parts = vkey.split('+')
    if len(parts) < 3:
        raise Refused('a verifier key is name+id+key')
    name, key_id, material = parts[0], parts[1], '+'.join(parts[2:])
    raw = b64(material, 'a verifier key')
    if not re.fullmatch(r'[0-9a-f]{8}', key_id) or len(raw) != 33 or raw[0] != 1:
        raise Refused('not an Ed25519 verifier key: ' + vkey)
    if hashlib.sha256(name.encode() + b'\n' + raw).digest()[:4].hex() != key_id:
        raise Refused('the verifier key\'s id does not match its name and key: ' + vkey)
    return name, bytes.fromhex(key_id), raw[1:]

def open_note(note, keys):
    """Returns (text, verifier key string) for the first published key whose signature holds."""
    split = note.rfind('\n\n')
    if split < 0 or not note.endswith('\n'):
        raise Refused('the checkpoint is not a signed note')
    text, block = note[:split + 1], note[split + 2:]
    for line in block[:-1].split('\n'):
        m = re.fullmatch('\u2014 (\\S+) (\\S+)', line)
        if not m:
            raise Refused('a malformed signature line in the checkpoint')
        raw = b64(m.group(2), 'a note signature')
        for vkey, (name, key_id, pub) in keys.items():
            if name == m.group(1) and key_id == raw[:4] and ed25519_verify(pub, text.encode(), raw[4:]):
                return text, vkey
    raise Refused('the checkpoint is not signed by any published key of its log')

def parse_checkpoint(text):
    lines = text.split('\n')
    if len(lines) != 4 or lines[3] != '' or not re.fullmatch(r'0|[1-9][0-9]*', lines[1]):
        raise Refused('the checkpoint is not origin, size and root on three lines')
    root = b64(lines[2], 'the checkpoint\'s root')
    if len(root) != 32:
        raise Refused('the checkpoint\'s root is not 32 bytes')
    return lines[0], int(lines[1]), root

# --- Witness cosignatures (C2SP tlog-cosignature, cosignature/v1) ------------------------------
def parse_witness_key(vkey):
    parts = vkey.split('+')
    if len(parts) < 3 or not parts[0]:
        raise Refused('a witness key is name+id+key: ' + vkey)
    name, key_id = parts[0], parts[1]
    raw = b64('+'.join(parts[2:]), 'the witness key ' + name)
    if not re.fullmatch(r'[0-9a-f]{8}', key_id) or len(raw) != 33 or raw[0] != 4:
        raise Refused('not an Ed25519 cosignature key (type 0x04): ' + vkey)
    if hashlib.sha256(name.encode() + b'\n' + raw).digest()[:4].hex() != key_id:
        raise Refused('the witness key\'s id does not match its name and key: ' + vkey)
    return name, bytes.fromhex(key_id), raw[1:]

def note_signatures(note):
    """The note's text and its signature lines as (name, raw bytes)."""
    split = note.rfind('\n\n')
    if split < 0 or not note.endswith('\n'):
        raise Refused('the checkpoint is not a signed note')
    out = []
    for line in note[split + 2:-1].split('\n'):
        m = re.fullmatch('\u2014 (\\S+) (\\S+)', line)
        if not m:
            raise Refused('a malformed signature line in the checkpoint')
        out.append((m.group(1), b64(m.group(2), 'a note signature')))
    return note[:split + 1], out

def check_cosignatures(witnesses, notes, bodies):
    """witnesses: [vkey]; notes: [(label, note)]; bodies: {checkpoint text: size} of verified checkpoints."""
    ok, problems = [], []
    parsed = []
    for label, note in notes:
        text, sigs = note_signatures(note)
        if text not in bodies:
            problems.append('the cosigned checkpoint %s is neither the one this letter cites nor the latest' % label)
        else:
            parsed.append((text, sigs))
    for vkey in witnesses:
        name, key_id, pub = parse_witness_key(vkey)
        good, bad = set(), set()
        for text, sigs in parsed:
            for n, raw in sigs:
                if n != name or raw[:4] != key_id:
                    continue
                t = int.from_bytes(raw[4:12], 'big') if len(raw) == 76 else None
                msg = b'cosignature/v1\ntime %d\n' % t + text.encode() if t is not None else b''
                if t is not None and ed25519_verify(pub, msg, raw[12:]):
                    good.add(bodies[text])
                else:
                    bad.add(bodies[text])
        for size in sorted(bad):
            problems.append('the cosignature of witness %s on the checkpoint at size %d does not verify' % (name, size))
        if good:
            ok.append('witness %s cosigned the checkpoint at size %s' % (name, ', '.join(str(x) for x in sorted(good))))
        elif not bad:
            problems.append('witness %s did not cosign the checkpoint this letter cites nor the latest one' % name)
    return ok, problems

# --- RFC 6962 / 9162 tree ----------------------------------------------------------------------
def leaf_hash(data):
    return hashlib.sha256(b'\x00' + data).digest()

def node_hash(left, right):
    return hashlib.sha256(b'\x01' + left + right).digest()

def mth(hashes):
    if not hashes:
        return hashlib.sha256(b'').digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return node_hash(mth(hashes[:k]), mth(hashes[k:]))

def verify_consistency(size1, size2, proof, root1, root2):
    """RFC 9162 section 2.1.4.2."""
    if size1 > size2:
        return False
    if size1 == size2:
        return not proof and root1 == root2
    if size1 == 0:
        return not proof
    if not proof:
        return False
    if size1 & (size1 - 1) == 0:
        proof = [root1] + proof
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == root1 and sr == root2

LEAF_V1 = re.compile(r'(confirm|restore|withdraw|invalidate) ([A-Z]{2}) ([0-9a-f]{64}|0|[1-9][0-9]{0,15})\n')
LEAF_V2_ADD = re.compile(r'(confirm|restore) ([0-9a-f]{64}) ([0-9a-f]{64})\n')
LEAF_V2_REMOVE = re.compile(r'(withdraw|invalidate) (0|[1-9][0-9]{0,15})\n')

def parse_entry(e, i):
    '''(adds, country or None, country commitment or None, removed index or None); version 2 names no country (ADR 129).'''
    text = e.decode('latin-1')
    m = LEAF_V2_ADD.fullmatch(text)
    if m:
        return True, None, m.group(2), None
    m = LEAF_V2_REMOVE.fullmatch(text)
    if m:
        return False, None, None, int(m.group(2))
    m = LEAF_V1.fullmatch(text)
    if not m:
        raise Refused('entry %d is not a log entry' % i)
    kind, country, value = m.groups()
    adds = kind in ('confirm', 'restore')
    if adds != (len(value) == 64):
        raise Refused('entry %d is malformed' % i)
    return adds, country, None, None if adds else int(value)

class Recount:
    '''counts: by country, from the entries that name it; total: every counted signature; hidden: counted version 2 adds.'''
    def __init__(self, counts, total, hidden, parsed):
        self.counts, self.total, self.hidden, self.parsed = counts, total, hidden, parsed

def recount(entries):
    counts, removed, hidden, parsed, total = {}, set(), set(), [], 0
    for i, e in enumerate(entries):
        adds, country, cc, j = parse_entry(e, i)
        parsed.append((adds, country, cc))
        if adds:
            total += 1
            if country is not None:
                counts[country] = counts.get(country, 0) + 1
            else:
                hidden.add(i)
            continue
        if j >= i or not parsed[j][0] or j in removed or (country is not None and parsed[j][1] != country):
            raise Refused('entry %d removes leaf %d, which it cannot' % (i, j))
        removed.add(j)
        total -= 1
        if parsed[j][1] is not None:
            counts[parsed[j][1]] -= 1
        else:
            hidden.discard(j)
    return Recount(counts, total, hidden, parsed)

def country_commitment(country, opening):
    return hashlib.sha256(b'petition-log-country-v2\x00' + country.encode('ascii') + b'\x00' + opening).hexdigest()

def country_figure(r, country, openings):
    '''The country's counted version 1 adds plus the openings, each opening a counted version 2 add to that country.'''
    seen = set()
    for o in openings:
        if not isinstance(o, list) or len(o) != 2 or type(o[0]) is not int or o[0] < 0 or not isinstance(o[1], str) or not re.fullmatch(r'[0-9a-f]{32}', o[1]):
            raise Refused('an opening is malformed')
        i = o[0]
        if i in seen:
            raise Refused('entry %d is opened twice' % i)
        seen.add(i)
        if i not in r.hidden:
            raise Refused('entry %d is not a counted version 2 signature' % i)
        if country_commitment(country, bytes.fromhex(o[1])) != r.parsed[i][2]:
            raise Refused('the opening of entry %d does not open it to %s' % (i, country))
    return r.counts.get(country, 0) + len(openings)

def check_figures(c, r):
    '''(ok, problem): the figures against the recount; the number of countries as a range (ADR 129).'''
    openings = c.get('openings', [])
    to_un = c['country'] == 'UN'
    withheld = not to_un and openings is None
    known = r.counts.get(c['country'], 0)
    upper = known + len(r.hidden)
    if to_un:
        if openings:
            return None, 'a letter to the UN opens no entry'
        figure = r.total
    elif withheld:
        if not known <= c['countryCount'] <= upper:
            return None, 'the count is %d but the log allows %d to %d for %s' % (c['countryCount'], known, upper, c['country'])
        figure = c['countryCount']
    else:
        try:
            figure = country_figure(r, c['country'], openings)
        except Refused as e:
            return None, 'the certificate\'s openings are refused: %s' % e
    if figure != c['countryCount']:
        return None, 'the count is %d but the log counts %d for %s' % (c['countryCount'], figure, c['country'])
    countries = {k for k, v in r.counts.items() if k != 'ZZ' and v > 0}
    if not to_un and figure > 0 and c['country'] != 'ZZ':
        countries.add(c['country'])
    low = len(countries)
    high = low + len(r.hidden) - (0 if to_un or withheld else len(openings))
    if r.total != c['totalCount'] or not low <= c['countryTotal'] <= high:
        return None, 'the totals are %d from %d countries but the log counts %d from %s' % (c['totalCount'], c['countryTotal'], r.total, low if low == high else '%d to %d' % (low, high))
    if withheld:
        return ('recounted from the log: %d in all; the %d for %s are not opened, to protect its signers, and lie within the %d to %d the log allows'
                % (r.total, figure, c['country'], known, upper)), None
    return 'recounted from the log: %d for %s, %d in all' % (figure, c['country'], r.total), None

def read_bundle(data):
    out, i = [], 0
    while i < len(data):
        if i + 2 > len(data):
            raise Refused('an entry bundle is cut short')
        n = int.from_bytes(data[i:i + 2], 'big')
        if i + 2 + n > len(data):
            raise Refused('an entry bundle is cut short')
        out.append(data[i + 2:i + 2 + n])
        i += 2 + n
    return out

# --- The checks --------------------------------------------------------------------------------
def verify(cert_text, keys_text, bundles, latest_note, witnesses=(), cosigned=()):
    ok, problems = [], []
    doc = strict_json(cert_text)
    c = check_shape(doc)
    if c['type'] != 'un-petitions/letter-certificate' or c['version'] != 2 or doc['algorithm'] != 'Ed25519':
        raise Refused('not a version 2 letter certificate')
    published = strict_json(keys_text)
    keys = {k['verifierKey']: parse_verifier_key(k['verifierKey']) for k in published['keys']}
    cert_key = [v for v, (_, _, pub) in keys.items() if hashlib.sha256(pub).hexdigest()[:16] == c['keyId']]
    if not cert_key:
        problems.append('no published key has the certificate\'s key id ' + c['keyId'])
    elif ed25519_verify(keys[cert_key[0]][2], canonical_json(c), b64(doc['signature'], 'the signature')):
        ok.append('the certificate is signed by ' + cert_key[0])
    else:
        problems.append('the certificate\'s signature does not match its contents: a count, a country or another field was changed')
    log = c['log']
    if log is None:
        problems.append('the certificate cites no log checkpoint')
        return ok, problems
    try:
        text, vkey = open_note(log['checkpoint'], keys)
    except Refused as e:
        problems.append(str(e))
        return ok, problems
    origin, size, root = parse_checkpoint(text)
    ok.append('the checkpoint is signed by ' + vkey)
    if size != log['size'] or base64.b64encode(root).decode() != log['root']:
        problems.append('the certificate\'s tree size or root differs from its signed checkpoint')
    prev = log['previous']
    if prev is not None:
        proof = [b64(h, 'a consistency hash') for h in prev['consistency']]
        if verify_consistency(prev['logSize'], size, proof, b64(prev['logRoot'], 'the previous root'), root):
            ok.append('the log extends the one letter %s was counted from (size %d)' % (prev['code'], prev['logSize']))
        else:
            problems.append('the log was rewritten since letter %s: the consistency proof from size %d fails' % (prev['code'], prev['logSize']))
    if bundles is not None:
        entries = [e for b in bundles for e in read_bundle(b)]
        hashes = [leaf_hash(e) for e in entries]
        if len(entries) < size:
            problems.append('the log holds %d entries, fewer than the checkpoint\'s %d' % (len(entries), size))
        elif mth(hashes[:size]) != root:
            problems.append('the entries do not hash to the checkpoint\'s root: an entry was added, removed, reordered or changed')
        else:
            good, problem = check_figures(c, recount(entries[:size]))
            if problem:
                problems.append(problem)
            else:
                ok.append(good)
        if latest_note is not None:
            ltext, _ = open_note(latest_note, keys)
            lorigin, lsize, lroot = parse_checkpoint(ltext)
            if lorigin != origin:
                problems.append('the latest checkpoint is of another log')
            elif lsize < size:
                problems.append('the log was rolled back: its latest checkpoint has %d entries, fewer than the %d this letter cites' % (lsize, size))
            elif len(hashes) < lsize or mth(hashes[:lsize]) != lroot:
                problems.append('the latest checkpoint (size %d) does not match the entries: a split view or a rewrite' % lsize)
            else:
                ok.append('the latest checkpoint (size %d) extends the one this letter cites' % lsize)
    if witnesses or cosigned:
        bodies = {text: size}
        notes = [('cited by the letter', log['checkpoint'])] + [('file %s' % label, n) for label, n in cosigned]
        if latest_note is not None:
            ltext, _ = open_note(latest_note, keys)
            bodies[ltext] = parse_checkpoint(ltext)[1]
            notes.append(('given as the latest', latest_note))
        wok, wproblems = check_cosignatures(list(witnesses), notes, bodies)
        ok += wok
        problems += wproblems
    return ok, problems

def main(argv):
    args, latest, witnesses, cosigned = [], None, [], []
    i = 0
    while i < len(argv):
        if argv[i] == '--latest' and i + 1 < len(argv):
            latest = open(argv[i + 1], encoding='utf-8', newline='').read()
            i += 2
        elif argv[i] == '--witness' and i + 1 < len(argv):
            witnesses.append(argv[i + 1])
            i += 2
        elif argv[i] == '--cosigned' and i + 1 < len(argv):
            cosigned.append((argv[i + 1], open(argv[i + 1], encoding='utf-8', newline='').read()))
            i += 2
        else:
            args.append(argv[i])
            i += 1
    if len(args) < 2:
        print(__doc__)
        return 2
    cert = open(args[0], encoding='utf-8').read()
    keys = open(args[1], encoding='utf-8').read()
    bundles = [open(p, 'rb').read() for p in args[2:]] if len(args) > 2 else None
    try:
        ok, problems = verify(cert, keys, bundles, latest, witnesses, cosigned)
    except (Refused, ValueError, KeyError, TypeError, binascii.Error) as e:
        print('INVALID: %s' % e)
        return 1
    for line in ok:
        print('ok: ' + line)
    for line in problems:
        print('FAILED: ' + line)
    print('VALID' if not problems else 'INVALID')
    return 0 if not problems else 1

if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
