/**
 * The offline verifier (docs/certificate.md): one self-contained HTML page, no network, that checks
 * a letter's certificate against the published keys and, when given, the log's entry bundles and
 * latest checkpoint, with the browser's own WebCrypto (SHA-256, Ed25519). Served at /verifier.html
 * and meant to be saved and opened from disk. `VERIFIER_SCRIPT` is also run by the tests in Node.
 */
export const VERIFIER_SCRIPT = String.raw`
'use strict';
const enc = new TextEncoder();
class Refused extends Error {}
function strictJson(text) {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const fail = (w) => { throw new Refused(w + ' at character ' + i); };
  const str = () => { const m = /^"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/.exec(text.slice(i)); if (!m) fail('a malformed string'); i += m[0].length; return JSON.parse(m[0]); };
  const val = (d) => {
    if (d > 32) fail('too deep'); ws(); const c = text[i];
    if (c === '{') { i++; const o = {}; ws(); if (text[i] === '}') { i++; return o; }
      for (;;) { ws(); if (text[i] !== '"') fail('expected a key'); const k = str(); if (Object.prototype.hasOwnProperty.call(o, k)) fail('duplicate key "' + k + '"');
        ws(); if (text[i++] !== ':') fail('expected ":"'); o[k] = val(d + 1); ws();
        if (text[i] === ',') { i++; continue; } if (text[i] === '}') { i++; return o; } fail('expected "," or "}"'); } }
    if (c === '[') { i++; const a = []; ws(); if (text[i] === ']') { i++; return a; }
      for (;;) { a.push(val(d + 1)); ws(); if (text[i] === ',') { i++; continue; } if (text[i] === ']') { i++; return a; } fail('expected "," or "]"'); } }
    if (c === '"') return str();
    const m = /^(?:-?(?:0|[1-9][0-9]*)(?![0-9.eE])|true|false|null)/.exec(text.slice(i, i + 40));
    if (!m) fail(/^-?[0-9]/.test(text.slice(i, i + 2)) ? 'a number that is not an integer' : 'unexpected character');
    i += m[0].length; if (m[0] === 'true') return true; if (m[0] === 'false') return false; if (m[0] === 'null') return null;
    const n = Number(m[0]); if (!Number.isSafeInteger(n)) fail('an integer too large'); return n;
  };
  const v = val(0); ws(); if (i !== text.length) fail('trailing characters'); return v;
}
function b64(s, what) {
  if (typeof s !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4) throw new Refused(what + ' is not canonical base64');
  const bin = atob(s); const out = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  if (btoa(bin) !== s) throw new Refused(what + ' is not canonical base64'); return out;
}
const toB64 = (u) => btoa(String.fromCharCode(...u));
const hex = (u) => Array.from(u, (b) => b.toString(16).padStart(2, '0')).join('');
const cat = (...parts) => { const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let o = 0; for (const p of parts) { out.set(p, o); o += p.length; } return out; };
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const sha256 = async (u) => new Uint8Array(await crypto.subtle.digest('SHA-256', u));
const leafHash = (d) => sha256(cat(Uint8Array.of(0), d));
const nodeHash = (l, r) => sha256(cat(Uint8Array.of(1), l, r));
async function mth(h) { if (!h.length) return sha256(new Uint8Array(0)); if (h.length === 1) return h[0]; let k = 1; while (k * 2 < h.length) k *= 2; return nodeHash(await mth(h.slice(0, k)), await mth(h.slice(k))); }
async function verifyConsistency(s1, s2, proof, r1, r2) {
  if (s1 > s2) return false; if (s1 === s2) return !proof.length && same(r1, r2); if (s1 === 0) return !proof.length; if (!proof.length) return false;
  if ((s1 & (s1 - 1)) === 0) proof = [r1, ...proof];
  let fn = s1 - 1, sn = s2 - 1; while (fn % 2 === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
  let fr = proof[0], sr = proof[0];
  for (const c of proof.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) { fr = await nodeHash(c, fr); sr = await nodeHash(c, sr); if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); } }
    else sr = await nodeHash(sr, c);
    fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
  }
  return sn === 0 && same(fr, r1) && same(sr, r2);
}
function canonicalJson(v) {
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  if (v && typeof v === 'object') return '{' + Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => JSON.stringify(k) + ':' + canonicalJson(v[k])).join(',') + '}';
  return JSON.stringify(v);
}
async function edVerify(pub, msg, sig) {
  const key = await crypto.subtle.importKey('raw', pub, { name: 'Ed25519' }, false, ['verify']);
  return sig.length === 64 && crypto.subtle.verify({ name: 'Ed25519' }, key, sig, msg);
}
async function parseKey(vkey) {
  const parts = vkey.split('+'); if (parts.length < 3) throw new Refused('a verifier key is name+id+key');
  const name = parts[0], id = parts[1], raw = b64(parts.slice(2).join('+'), 'a verifier key');
  if (!/^[0-9a-f]{8}$/.test(id) || raw.length !== 33 || raw[0] !== 1) throw new Refused('not an Ed25519 verifier key: ' + vkey);
  if (hex((await sha256(cat(enc.encode(name + '\n'), raw))).slice(0, 4)) !== id) throw new Refused('the verifier key’s id does not match its name and key: ' + vkey);
  return { vkey, name, id, pub: raw.slice(1), certId: hex(await sha256(raw.slice(1))).slice(0, 16) };
}
async function openNote(note, keys) {
  const split = note.lastIndexOf('\n\n'); if (split < 0 || !note.endsWith('\n')) throw new Refused('the checkpoint is not a signed note');
  const text = note.slice(0, split + 1);
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line); if (!m) throw new Refused('a malformed signature line in the checkpoint');
    const raw = b64(m[2], 'a note signature');
    for (const k of keys) if (k.name === m[1] && hex(raw.slice(0, 4)) === k.id && (await edVerify(k.pub, enc.encode(text), raw.slice(4)))) return { text, key: k.vkey };
  }
  throw new Refused('the checkpoint is not signed by any published key of its log');
}
async function parseWitnessKey(vkey) {
  const parts = vkey.split('+'); if (parts.length < 3 || !parts[0]) throw new Refused('a witness key is name+id+key: ' + vkey);
  const name = parts[0], id = parts[1], raw = b64(parts.slice(2).join('+'), 'the witness key ' + name);
  if (!/^[0-9a-f]{8}$/.test(id) || raw.length !== 33 || raw[0] !== 4) throw new Refused('not an Ed25519 cosignature key (type 0x04): ' + vkey);
  if (hex((await sha256(cat(enc.encode(name + '\n'), raw))).slice(0, 4)) !== id) throw new Refused('the witness key’s id does not match its name and key: ' + vkey);
  return { name, id, pub: raw.slice(1) };
}
function noteSignatures(note) {
  const split = note.lastIndexOf('\n\n'); if (split < 0 || !note.endsWith('\n')) throw new Refused('the checkpoint is not a signed note');
  return { text: note.slice(0, split + 1), sigs: note.slice(split + 2, -1).split('\n').map((line) => {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line); if (!m) throw new Refused('a malformed signature line in the checkpoint');
    return { name: m[1], raw: b64(m[2], 'a note signature') };
  }) };
}
/** C2SP tlog-cosignature (cosignature/v1): key id ‖ u64 time ‖ Ed25519 over "cosignature/v1\ntime T\n" ‖ body. */
async function checkCosignatures(witnessKeys, notes, bodies, ok, problems) {
  const parsed = [];
  for (const n of notes) {
    const p = noteSignatures(n.note);
    if (!bodies.has(p.text)) problems.push('the cosigned checkpoint ' + n.label + ' is neither the one this letter cites nor the latest');
    else parsed.push(p);
  }
  for (const vkey of witnessKeys) {
    const w = await parseWitnessKey(vkey); const good = new Set(), bad = new Set();
    for (const p of parsed) for (const s of p.sigs) {
      if (s.name !== w.name || hex(s.raw.slice(0, 4)) !== w.id) continue;
      let valid = false;
      if (s.raw.length === 76) {
        let t = 0n; for (const b of s.raw.slice(4, 12)) t = t * 256n + BigInt(b);
        valid = await edVerify(w.pub, enc.encode('cosignature/v1\ntime ' + t + '\n' + p.text), s.raw.slice(12));
      }
      (valid ? good : bad).add(bodies.get(p.text));
    }
    for (const size of [...bad].sort((a, b) => a - b)) problems.push('the cosignature of witness ' + w.name + ' on the checkpoint at size ' + size + ' does not verify');
    if (good.size) ok.push('witness ' + w.name + ' cosigned the checkpoint at size ' + [...good].sort((a, b) => a - b).join(', '));
    else if (!bad.size) problems.push('witness ' + w.name + ' did not cosign the checkpoint this letter cites nor the latest one');
  }
}
function parseCheckpoint(text) {
  const l = text.split('\n'); if (l.length !== 4 || l[3] !== '' || !/^(0|[1-9][0-9]*)$/.test(l[1])) throw new Refused('the checkpoint is not origin, size and root on three lines');
  const root = b64(l[2], 'the checkpoint’s root'); if (root.length !== 32) throw new Refused('the checkpoint’s root is not 32 bytes');
  return { origin: l[0], size: Number(l[1]), root };
}
function readBundle(u) {
  const out = []; let i = 0;
  while (i < u.length) { if (i + 2 > u.length) throw new Refused('an entry bundle is cut short'); const n = (u[i] << 8) | u[i + 1]; if (i + 2 + n > u.length) throw new Refused('an entry bundle is cut short'); out.push(u.slice(i + 2, i + 2 + n)); i += 2 + n; }
  return out;
}
const V1 = /^(confirm|restore|withdraw|invalidate) ([A-Z]{2}) ([0-9a-f]{64}|0|[1-9][0-9]{0,15})\n$/;
const V2_ADD = /^(confirm|restore) ([0-9a-f]{64}) ([0-9a-f]{64})\n$/;
const V2_REMOVE = /^(withdraw|invalidate) (0|[1-9][0-9]{0,15})\n$/;
/** Version 2 entries name no country (ADR 129): cc is the country commitment; version 1 ones name it. */
function parseEntry(e, i) {
  const s = String.fromCharCode(...e);
  let m = V2_ADD.exec(s); if (m) return { add: true, cc: m[2] };
  m = V2_REMOVE.exec(s); if (m) return { add: false, removes: Number(m[2]) };
  m = V1.exec(s); if (!m) throw new Refused('entry ' + i + ' is not a log entry');
  const add = m[1] === 'confirm' || m[1] === 'restore';
  if (add !== (m[3].length === 64)) throw new Refused('entry ' + i + ' is malformed');
  return add ? { add, country: m[2] } : { add, country: m[2], removes: Number(m[3]) };
}
/** counts: by country, from the entries that name it; total: every counted signature; hidden: counted version 2 adds. */
function recount(entries) {
  const counts = {}, removed = new Set(), hidden = new Set(), parsed = []; let total = 0;
  entries.forEach((e, i) => {
    const l = parseEntry(e, i); parsed.push(l);
    if (l.add) { total++; if (l.country) counts[l.country] = (counts[l.country] || 0) + 1; else hidden.add(i); return; }
    const j = l.removes, t = parsed[j];
    if (j >= i || !t || !t.add || removed.has(j) || (l.country && t.country !== l.country)) throw new Refused('entry ' + i + ' removes leaf ' + j + ', which it cannot');
    removed.add(j); total--;
    if (t.country) counts[t.country] -= 1; else hidden.delete(j);
  });
  return { counts, total, hidden, parsed };
}
const unhex = (s) => Uint8Array.from(s.match(/../g) || [], (h) => parseInt(h, 16));
/** The country's counted version 1 adds plus the openings, each opening a counted version 2 add to that country. */
async function countryFigure(r, country, openings) {
  const seen = new Set();
  for (const o of openings) {
    if (!Array.isArray(o) || o.length !== 2 || !Number.isSafeInteger(o[0]) || o[0] < 0 || typeof o[1] !== 'string' || !/^[0-9a-f]{32}$/.test(o[1])) throw new Refused('an opening is malformed');
    const i = o[0];
    if (seen.has(i)) throw new Refused('entry ' + i + ' is opened twice'); seen.add(i);
    if (!r.hidden.has(i)) throw new Refused('entry ' + i + ' is not a counted version 2 signature');
    if (hex(await sha256(cat(enc.encode('petition-log-country-v2\0' + country + '\0'), unhex(o[1])))) !== r.parsed[i].cc) throw new Refused('the opening of entry ' + i + ' does not open it to ' + country);
  }
  return (r.counts[country] || 0) + openings.length;
}
async function checkFigures(c, r, ok, problems) {
  const openings = c.openings === undefined ? [] : c.openings;
  const toUn = c.country === 'UN', withheld = !toUn && openings === null;
  const known = r.counts[c.country] || 0, upper = known + r.hidden.size;
  let figure;
  if (toUn) { if (openings && openings.length) return problems.push('a letter to the UN opens no entry'); figure = r.total; }
  else if (withheld) { if (c.countryCount < known || c.countryCount > upper) return problems.push('the count is ' + c.countryCount + ' but the log allows ' + known + ' to ' + upper + ' for ' + c.country); figure = c.countryCount; }
  else { try { figure = await countryFigure(r, c.country, openings); } catch (e) { if (!(e instanceof Refused)) throw e; return problems.push('the certificate’s openings are refused: ' + e.message); } }
  if (figure !== c.countryCount) return problems.push('the count is ' + c.countryCount + ' but the log counts ' + figure + ' for ' + c.country);
  const countries = new Set(Object.entries(r.counts).filter(([k, v]) => k !== 'ZZ' && v > 0).map(([k]) => k));
  if (!toUn && figure > 0 && c.country !== 'ZZ') countries.add(c.country);
  const min = countries.size, max = min + r.hidden.size - (toUn || withheld ? 0 : openings.length);
  if (r.total !== c.totalCount || c.countryTotal < min || c.countryTotal > max) return problems.push('the totals are ' + c.totalCount + ' from ' + c.countryTotal + ' countries but the log counts ' + r.total + ' from ' + (min === max ? min : min + ' to ' + max));
  if (withheld) ok.push('recounted from the log: ' + r.total + ' in all; the ' + figure + ' for ' + c.country + ' are not opened, to protect its signers, and lie within the ' + known + ' to ' + upper + ' the log allows');
  else ok.push('recounted from the log: ' + figure + ' for ' + c.country + ', ' + r.total + ' in all');
}
const FIELDS = ['type', 'version', 'letterId', 'code', 'reference', 'campaign', 'country', 'language', 'letterVersion', 'createdAt', 'countryCount', 'totalCount', 'countryTotal', 'namedCount', 'merkleRoot', 'leafCount', 'pdfDigest', 'keyId', 'log'];
const INTS = ['version', 'letterVersion', 'countryCount', 'totalCount', 'countryTotal', 'namedCount', 'leafCount'];
/**
 * certificateText, keysText: strings; bundles: Uint8Array[] or null; latestNote: string or null;
 * witnessKeys: the witnesses' verifier keys (strings); cosigned: [{ label, note }], cosigned copies of
 * the cited or the latest checkpoint.
 */
async function verifyLetter(certificateText, keysText, bundles, latestNote, witnessKeys = [], cosigned = []) {
  const ok = [], problems = [];
  try {
    const doc = strictJson(certificateText);
    const top = Object.keys(doc);
    if (top.some((k) => !['certificate', 'algorithm', 'signature', 'recipientSalt'].includes(k)) || !['certificate', 'algorithm', 'signature'].every((k) => top.includes(k))) throw new Refused('the certificate file has unknown or missing fields');
    const c = doc.certificate; const ks = Object.keys(c);
    // openings (ADR 129) is optional: certificates made before have none.
    if (ks.some((k) => !FIELDS.includes(k) && k !== 'openings') || FIELDS.some((f) => !ks.includes(f))) throw new Refused('the certificate has unknown or missing fields');
    if ('openings' in c && c.openings !== null && !Array.isArray(c.openings)) throw new Refused('openings is not a list');
    for (const f of INTS) if (!Number.isSafeInteger(c[f])) throw new Refused(f + ' is not an integer');
    if (c.type !== 'un-petitions/letter-certificate' || c.version !== 2 || doc.algorithm !== 'Ed25519') throw new Refused('not a version 2 letter certificate');
    const keys = await Promise.all(strictJson(keysText).keys.map((k) => parseKey(k.verifierKey)));
    const ck = keys.find((k) => k.certId === c.keyId);
    if (!ck) problems.push('no published key has the certificate’s key id ' + c.keyId);
    else if (await edVerify(ck.pub, enc.encode(canonicalJson(c)), b64(doc.signature, 'the signature'))) ok.push('the certificate is signed by ' + ck.vkey);
    else problems.push('the certificate’s signature does not match its contents: a count, a country or another field was changed');
    if (!c.log) { problems.push('the certificate cites no log checkpoint'); return { ok, problems }; }
    const note = await openNote(c.log.checkpoint, keys); const cp = parseCheckpoint(note.text);
    ok.push('the checkpoint is signed by ' + note.key);
    if (cp.size !== c.log.size || toB64(cp.root) !== c.log.root) problems.push('the certificate’s tree size or root differs from its signed checkpoint');
    const prev = c.log.previous;
    if (prev) {
      const good = await verifyConsistency(prev.logSize, cp.size, prev.consistency.map((h) => b64(h, 'a consistency hash')), b64(prev.logRoot, 'the previous root'), cp.root);
      if (good) ok.push('the log extends the one letter ' + prev.code + ' was counted from (size ' + prev.logSize + ')');
      else problems.push('the log was rewritten since letter ' + prev.code + ': the consistency proof from size ' + prev.logSize + ' fails');
    }
    if (bundles) {
      const entries = bundles.flatMap(readBundle); const hashes = await Promise.all(entries.map(leafHash));
      if (entries.length < cp.size) problems.push('the log holds ' + entries.length + ' entries, fewer than the checkpoint’s ' + cp.size);
      else if (!same(await mth(hashes.slice(0, cp.size)), cp.root)) problems.push('the entries do not hash to the checkpoint’s root: an entry was added, removed, reordered or changed');
      else await checkFigures(c, recount(entries.slice(0, cp.size)), ok, problems);
      if (latestNote) {
        const ln = await openNote(latestNote, keys); const l = parseCheckpoint(ln.text);
        if (l.origin !== cp.origin) problems.push('the latest checkpoint is of another log');
        else if (l.size < cp.size) problems.push('the log was rolled back: its latest checkpoint has ' + l.size + ' entries, fewer than the ' + cp.size + ' this letter cites');
        else if (hashes.length < l.size || !same(await mth(hashes.slice(0, l.size)), l.root)) problems.push('the latest checkpoint (size ' + l.size + ') does not match the entries: a split view or a rewrite');
        else ok.push('the latest checkpoint (size ' + l.size + ') extends the one this letter cites');
      }
    }
    if (witnessKeys.length || cosigned.length) {
      const bodies = new Map([[note.text, cp.size]]);
      const notes = [{ label: 'cited by the letter', note: c.log.checkpoint }, ...cosigned.map((x) => ({ label: 'file ' + x.label, note: x.note }))];
      if (latestNote) { const ln = await openNote(latestNote, keys); bodies.set(ln.text, parseCheckpoint(ln.text).size); notes.push({ label: 'given as the latest', note: latestNote }); }
      await checkCosignatures(witnessKeys, notes, bodies, ok, problems);
    }
  } catch (e) {
    problems.push(e instanceof Refused || e instanceof SyntaxError ? e.message : 'could not check: ' + e.message);
  }
  return { ok, problems };
}
`

const PAGE_SCRIPT = String.raw`
const $ = (id) => document.getElementById(id);
const text = (f) => f ? f.text() : Promise.resolve(null);
$('check').addEventListener('click', async () => {
  const out = $('result'); out.textContent = 'Checking…';
  const cert = await text($('cert').files[0]); const keys = await text($('keys').files[0]);
  if (!cert || !keys) { out.textContent = 'Choose the certificate and the keys file first.'; return; }
  const bundles = $('entries').files.length ? await Promise.all(Array.from($('entries').files).sort((a, b) => a.name.localeCompare(b.name)).map(async (f) => new Uint8Array(await f.arrayBuffer()))) : null;
  const witnesses = $('witnesses').value.split(/\s+/).filter(Boolean);
  const cosigned = await Promise.all(Array.from($('cosigned').files).map(async (f) => ({ label: f.name, note: await f.text() })));
  const r = await verifyLetter(cert, keys, bundles, await text($('latest').files[0]), witnesses, cosigned);
  out.textContent = '';
  const h = document.createElement('p'); h.className = r.problems.length ? 'bad' : 'good'; h.textContent = r.problems.length ? 'INVALID' : 'VALID'; out.append(h);
  const ul = document.createElement('ul');
  for (const p of r.problems) { const li = document.createElement('li'); li.className = 'bad'; li.textContent = 'Failed: ' + p; ul.append(li); }
  for (const p of r.ok) { const li = document.createElement('li'); li.textContent = 'OK: ' + p; ul.append(li); }
  out.append(ul);
});
`

const STYLE = 'body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}label{display:block;margin:.8rem 0}textarea{display:block;width:100%}.good{color:#05620f;font-weight:700}.bad{color:#a00;font-weight:700}code{word-break:break-all}'

export function verifierPageHtml(): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Offline letter verifier</title><style>${STYLE}</style></head>
<body><main>
<h1>Offline letter verifier</h1>
<p>This page checks a petition letter’s certificate without any network access: save it and open it from your disk. It uses only your browser’s own cryptography (SHA-256, Ed25519). The format is documented in docs/certificate.md.</p>
<label>Certificate (<code>/verify/CODE/certificate.json</code>) <input type="file" id="cert" accept=".json"></label>
<label>Published keys (<code>/.well-known/petition-log-keys</code>) <input type="file" id="keys" accept=".json"></label>
<label>Optional: the log’s entry bundles, named so that they sort in order (<code>/campaigns/SLUG/log/tile/entries/000</code>, …) <input type="file" id="entries" multiple></label>
<label>Optional: the log’s latest checkpoint (<code>/campaigns/SLUG/log/checkpoint</code>) <input type="file" id="latest"></label>
<label>Optional: witnesses’ public keys, one per line (<code>name+hash+key</code>, obtained from each witness, not from the platform): each must have cosigned the letter’s checkpoint or the latest <textarea id="witnesses" rows="3" cols="60" dir="ltr"></textarea></label>
<label>Optional: cosigned checkpoints (from a witness, or <code>/campaigns/SLUG/log/checkpoint?size=N</code>) <input type="file" id="cosigned" multiple></label>
<button type="button" id="check">Check</button>
<div id="result" role="status"></div>
</main>
<script>${VERIFIER_SCRIPT}${PAGE_SCRIPT}</script>
</body></html>
`
}

export const VERIFIER_PAGE_PARTS = { script: `${VERIFIER_SCRIPT}${PAGE_SCRIPT}`, style: STYLE }
