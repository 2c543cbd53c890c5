#!/usr/bin/env node
// A second receipt verifier, written from docs/receipts.md and docs/transparency-log.md alone
// (no Java read), with node:crypto only. It exists so that the docs, not the Java code, are the
// specification: the build runs it beside `./pinaivu receipts verify` and they must agree.
//
//   node verify.mjs FILE [--coordinator-key B64URL]... [--allow-dev] [--log-origin ORIGIN]
//                        [--client-response FILE]
//   node verify.mjs --batch DIR [same options]     one line per file: "<name>\t<verdict>"
//
// Exit 0 valid, 1 invalid, 2 unusable input (a single FILE only).
import { readFileSync, readdirSync } from 'node:fs';
import { createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { join } from 'node:path';

class Invalid extends Error {}
const fail = (reason) => {
  throw new Invalid(reason);
};
const MAX_SAFE = 2 ** 53 - 1;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest();
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const utf8 = (s) => Buffer.from(s, 'utf8');

// ---- §1.1 the file grammar: UTF-8, no BOM, one value, no repeated names, integers 0..2^53-1
function parseFile(bytes, what) {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    fail(`${what}: the file starts with a UTF-8 byte-order mark`);
  }
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    fail(`${what}: the file is not UTF-8`);
  }
  return new Parser(text, what).document();
}

class Parser {
  constructor(text, what) {
    this.t = text;
    this.i = 0;
    this.what = what;
    this.depth = 0;
  }
  err(why) {
    fail(`${this.what}: ${why}`);
  }
  ws() {
    while (this.i < this.t.length && ' \t\n\r'.includes(this.t[this.i])) this.i++;
  }
  document() {
    this.ws();
    const v = this.value();
    this.ws();
    if (this.i !== this.t.length) this.err('content after the JSON value');
    return v;
  }
  position(at) {
    let line = 1;
    let col = 1;
    for (let k = 0; k < at; k++) {
      if (this.t[k] === '\n') {
        line++;
        col = 1;
      } else col++;
    }
    return `line ${line}, column ${col}`;
  }
  value() {
    const c = this.t[this.i];
    if (c === '{' || c === '[') {
      if (++this.depth > 200) this.err('nesting deeper than 200');
      const v = c === '{' ? this.object() : this.array();
      this.depth--;
      return v;
    }
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]]) {
      if (this.t.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    this.err(`unexpected character at ${this.position(this.i)}`);
  }
  object() {
    const m = new Map();
    this.i++;
    this.ws();
    if (this.t[this.i] === '}') {
      this.i++;
      return m;
    }
    for (;;) {
      this.ws();
      if (this.t[this.i] !== '"') this.err('expected a member name');
      const k = this.string();
      if (m.has(k)) this.err(`Duplicate field '${k}'`);
      this.ws();
      if (this.t[this.i++] !== ':') this.err('expected ":"');
      this.ws();
      m.set(k, this.value());
      this.ws();
      const c = this.t[this.i++];
      if (c === '}') return m;
      if (c !== ',') this.err('expected "," or "}"');
    }
  }
  array() {
    const a = [];
    this.i++;
    this.ws();
    if (this.t[this.i] === ']') {
      this.i++;
      return a;
    }
    for (;;) {
      this.ws();
      a.push(this.value());
      this.ws();
      const c = this.t[this.i++];
      if (c === ']') return a;
      if (c !== ',') this.err('expected "," or "]"');
    }
  }
  string() {
    let out = '';
    this.i++;
    for (;;) {
      if (this.i >= this.t.length) this.err('unterminated string');
      const c = this.t[this.i++];
      if (c === '"') return out;
      if (c < ' ') this.err('control character in a string');
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.t[this.i++];
      const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e in simple) out += simple[e];
      else if (e === 'u') {
        const h = this.t.slice(this.i, this.i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(h)) this.err('bad \\u escape');
        out += String.fromCharCode(parseInt(h, 16));
        this.i += 4;
      } else this.err('bad escape');
    }
  }
  number() {
    const start = this.i;
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.t.slice(this.i));
    if (!m) this.err(`bad number at ${this.position(start)}`);
    this.i += m[0].length;
    const n = m[0];
    const at = this.position(start);
    if (m[2] || m[3]) this.err(`number ${n} is not an integer (${at})`);
    if (n.startsWith('-') || n.length > 16 || Number(n) > MAX_SAFE) {
      this.err(`number ${n} is not an integer in 0..2^53-1 written plainly (${at})`);
    }
    return Number(n);
  }
}

// ---- JCS (RFC 8785) for the values the docs allow
function jcs(v) {
  if (v === null) return 'null';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (typeof v === 'string') return jstr(v);
  if (Array.isArray(v)) return '[' + v.map(jcs).join(',') + ']';
  const keys = [...v.keys()].sort(); // JS compares UTF-16 code units, as JCS requires
  return '{' + keys.map((k) => jstr(k) + ':' + jcs(v.get(k))).join(',') + '}';
}
function jstr(s) {
  let out = '"';
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(k + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) throw new Error('lone surrogate in canonical JSON string');
      out += s[k] + s[k + 1];
      k++;
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) throw new Error('lone surrogate in canonical JSON string');
    const named = { 0x22: '\\"', 0x5c: '\\\\', 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
    if (named[c]) out += named[c];
    else if (c < 0x20) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += s[k];
  }
  return out + '"';
}
const canonical = (v, what) => {
  try {
    return jcs(v);
  } catch (e) {
    fail(`${what} cannot be canonicalized: ${e.message}`);
  }
};

// ---- encodings and keys (§1)
function b64url(s, bytes, what) {
  // not base64url at all: a character outside the alphabet, or a length no encoding has
  if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) fail(`${what} is not base64url`);
  const b = Buffer.from(s, 'base64url');
  if (b.length !== bytes || b.toString('base64url') !== s) {
    fail(`${what} must be ${bytes} bytes in unpadded base64url`);
  }
  return b;
}
const ED_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const edKey = (raw) => createPublicKey({ key: Buffer.concat([ED_PREFIX, raw]), format: 'der', type: 'spki' });
const edOk = (raw, message, sig) => cryptoVerify(null, message, edKey(raw), sig);
const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';
function nodeIdOf(pk) {
  const h = sha256(pk).subarray(0, 16);
  let bits = 0n;
  for (const b of h) bits = (bits << 8n) | BigInt(b);
  bits <<= 2n; // 128 bits -> 26 characters of 5 bits (130), zero-padded at the end
  let s = '';
  for (let k = 25; k >= 0; k--) s += CROCKFORD[Number((bits >> BigInt(5 * k)) & 31n)];
  return 'node_' + s;
}
const signed = (prefix, doc) => Buffer.concat([utf8(prefix), utf8(doc)]);

// ---- §1 and the tables of §3, §4, §6, §9: reading a signed document by its grammar
const isObj = (v) => v instanceof Map;
const ULID = /^[0-7][0-9a-hjkmnp-tv-z]{25}$/;
// "blank" = only characters that Java's Character.isWhitespace counts (docs/receipts.md §1.1)
const BLANK = /^[\t\n\u000b\f\r\u001c-\u001f \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]*$/;

class Reader {
  constructor(obj, what) {
    this.o = obj;
    this.what = what;
  }
  bad(member, why) {
    fail(`${this.what} is malformed at ${member}: ${why}`);
  }
  get(m) {
    if (!this.o.has(m)) this.bad(m, 'missing');
    return this.o.get(m);
  }
  int(m, min = 0, max = MAX_SAFE) {
    const v = this.get(m);
    if (typeof v !== 'number' || v < min || v > max) this.bad(m, `not an integer in ${min}..${max}`);
    return v;
  }
  intOrNull(m, min, max) {
    return this.get(m) === null ? null : this.int(m, min, max);
  }
  bool(m) {
    const v = this.get(m);
    if (typeof v !== 'boolean') this.bad(m, 'not a boolean');
    return v;
  }
  str(m, re) {
    const v = this.get(m);
    if (typeof v !== 'string' || (re && !re.test(v))) this.bad(m, 'not a string of the grammar');
    return v;
  }
  hex(m) {
    return this.str(m, /^[0-9a-f]{64}$/);
  }
  requestId(m) {
    const v = this.str(m);
    if (!(v.startsWith('req_') && ULID.test(v.slice(4)))) this.bad(m, 'not req_ + ULID');
    return v;
  }
  nodeId(m) {
    return this.str(m, /^node_[0-9a-hjkmnp-tv-z]{26}$/);
  }
  model(m) {
    const v = this.str(m);
    if (v.length < 1 || v.length > 256 || BLANK.test(v)) this.bad(m, 'not a model id');
    return v;
  }
  obj(m) {
    const v = this.get(m);
    if (!isObj(v)) this.bad(m, 'not an object');
    return new Reader(v, this.what);
  }
  usage(m) {
    const u = this.obj(m);
    return { p: u.int('prompt_tokens'), c: u.int('completion_tokens'), t: u.int('total_tokens') };
  }
  usageOrNull(m) {
    return this.get(m) === null ? null : this.usage(m);
  }
  outcome(m) {
    const v = this.str(m);
    if (!['completed', 'cancelled', 'failed'].includes(v)) this.bad(m, 'unknown outcome');
    return v;
  }
}

function readOffer(o) {
  const r = new Reader(o, 'offer');
  const offer = {
    node_id: r.nodeId('node_id'),
    issued_at_ms: r.int('issued_at_ms'),
    capacity: r.int('capacity', 1, 10000),
  };
  const models = r.get('models');
  if (!Array.isArray(models) || models.length > 256) r.bad('models', 'not an array of at most 256');
  offer.models = models.map((m) => {
    if (!isObj(m)) r.bad('models', 'not an object');
    const mr = new Reader(m, 'offer');
    return {
      id: mr.model('id'),
      input: mr.int('input_micros_per_mtok'),
      output: mr.int('output_micros_per_mtok'),
      context: mr.intOrNull('context_length', 1, 2 ** 31 - 1),
    };
  });
  return offer;
}

function readToken(o) {
  const r = new Reader(o, 'dispatch token');
  if (r.int('v', 0, 2 ** 31 - 1) !== 2) r.bad('v', 'not 2');
  const t = {
    request_id: r.requestId('request_id'),
    request_sha256: r.hex('request_sha256'),
    node_id: r.nodeId('node_id'),
    model: r.model('model'),
    input: r.int('input_micros_per_mtok'),
    output: r.int('output_micros_per_mtok'),
    offer_sha256: r.hex('offer_sha256'),
    fee_bps: r.int('fee_bps', 0, 10000),
    max_prompt: r.int('max_prompt_tokens'),
    max_completion: r.int('max_completion_tokens', 1),
    issued: r.int('issued_at_ms'),
    expires: r.int('expires_at_ms'),
    settle_by: r.int('settle_by_ms'),
    key_id: r.hex('coordinator_key_id'),
  };
  if (t.expires <= t.issued) r.bad('expires_at_ms', 'not after issued_at_ms');
  if (t.settle_by < t.expires) r.bad('settle_by_ms', 'before expires_at_ms');
  return t;
}

function readProof(o) {
  const r = new Reader(o, 'proof');
  if (r.int('v', 0, 2 ** 31 - 1) !== 1) r.bad('v', 'not 1');
  const p = {
    request_id: r.requestId('request_id'),
    node_id: r.nodeId('node_id'),
    model: r.model('model'),
    request_sha256: r.hex('request_sha256'),
    response_sha256: r.hex('response_sha256'),
    dispatch_token_sha256: r.hex('dispatch_token_sha256'),
    outcome: r.outcome('outcome'),
    usage: r.usage('usage'),
    usage_estimated: r.bool('usage_estimated'),
    delivered: r.int('delivered_completion_tokens'),
    started: r.int('started_at_ms'),
    ended: r.int('ended_at_ms'),
  };
  if (p.ended < p.started) r.bad('ended_at_ms', 'before started_at_ms');
  return p;
}

function readSigned(r, member, inner) {
  const s = r.obj(member);
  const doc = s.get(inner);
  if (!isObj(doc)) s.bad(`${member}.${inner}`, 'not an object');
  return { doc, signature: s.str('signature') };
}

function readReceipt(o) {
  const r = new Reader(o, 'receipt');
  if (r.int('v', 0, 2 ** 31 - 1) !== 2) r.bad('v', 'not 2');
  const x = {
    request_id: r.requestId('request_id'),
    account_ref: r.str('account_ref', /^[A-Za-z0-9_-]{1,128}$/),
    model: r.model('model'),
    node_id: r.nodeId('node_id'),
    node_public_key: b64urlMember(r, 'node_public_key'),
    coordinator_key_id: r.hex('coordinator_key_id'),
    dispatch_token: r.str('dispatch_token'),
    dispatch_token_sha256: r.hex('dispatch_token_sha256'),
    node_offer: readSigned(r, 'node_offer', 'offer'),
    request_sha256: r.hex('request_sha256'),
    response_sha256: r.hex('response_sha256'),
    client_response_sha256: r.hex('client_response_sha256'),
    outcome: r.outcome('outcome'),
  };
  const note = r.get('note');
  if (note !== null && (typeof note !== 'string' || note.length > 1000 || BLANK.test(note))) {
    r.bad('note', 'not null or 1..1000 characters, not blank');
  }
  x.note = note;
  const t = r.obj('times');
  x.times = {
    dispatched: t.int('dispatched_at_ms'),
    first: t.intOrNull('first_token_at_ms', 0, MAX_SAFE),
    ended: t.int('ended_at_ms'),
    issued: t.int('issued_at_ms'),
  };
  x.usage = r.usage('usage');
  const b = r.obj('billing');
  const limited = b.get('limited_by');
  if (!Array.isArray(limited) || limited.some((s) => typeof s !== 'string')) {
    b.bad('billing.limited_by', 'not an array of strings');
  }
  x.billing = {
    claimed: b.usage('claimed'),
    delivered_limit: b.int('delivered_completion_limit'),
    shown: b.usageOrNull('shown_usage'),
    limited_by: limited,
  };
  x.billed = r.usage('billed_usage');
  const c = r.obj('charge');
  if (c.str('currency') !== 'USD') c.bad('charge.currency', 'not USD');
  if (c.str('unit') !== 'micro_usd') c.bad('charge.unit', 'not micro_usd');
  x.charge = {
    input: c.int('input_micros_per_mtok'),
    output: c.int('output_micros_per_mtok'),
    node_amount: c.int('node_amount'),
    fee_bps: c.int('fee_bps', 0, 10000),
    fee: c.int('fee'),
    total: c.int('total_charged'),
  };
  x.node_proof = readSigned(r, 'node_proof', 'proof');
  return x;
}
function b64urlMember(r, m) {
  const v = r.str(m);
  try {
    return b64url(v, 32, m);
  } catch (e) {
    r.bad(m, e.message);
  }
}

// ---- the dispatch token's wire form (§4)
function splitToken(wire) {
  if (wire.length > 8192) fail('dispatch token is longer than 8192 characters');
  const parts = wire.split('.');
  if (parts.length !== 2) fail('dispatch token must be <payload>.<signature>');
  if (!/^[A-Za-z0-9_-]*$/.test(parts[0])) fail('dispatch token: payload is not base64url');
  const payloadBytes = Buffer.from(parts[0], 'base64url');
  const sig = b64url(parts[1], 64, 'dispatch token signature');
  const payload = parseFile(payloadBytes, 'dispatch token payload is not JSON');
  if (!isObj(payload)) fail('dispatch token payload must be a JSON object');
  const canon = canonical(payload, 'dispatch token payload');
  if (!utf8(canon).equals(payloadBytes) || payloadBytes.toString('base64url') !== parts[0]) {
    fail('dispatch token payload is not in canonical form (RFC 8785)');
  }
  return { payload, payloadBytes, sig };
}

// ---- §7 the billing rule, §8 the charge
function claimOf(p) {
  if (p.outcome === 'completed') return { p: p.usage.p, c: p.usage.c };
  if (p.delivered > 0) return { p: p.usage.p, c: p.delivered };
  return { p: 0, c: 0 };
}
function billingOf(claim, token, reached, deliveredLimit, shown) {
  const limited = [];
  if (!reached) {
    if (claim.p + claim.c > 0) limited.push('no_output');
    return { limited, billed: { p: 0, c: 0 } };
  }
  if (token.max_prompt < claim.p) limited.push('max_prompt_tokens');
  if (token.max_completion < claim.c) limited.push('max_completion_tokens');
  if (deliveredLimit < claim.c) limited.push('delivered_output');
  let bp = Math.min(claim.p, token.max_prompt);
  let bc = Math.min(claim.c, token.max_completion, deliveredLimit);
  if (shown && (shown.p < claim.p || shown.c < claim.c)) {
    limited.push('shown_usage');
    bp = Math.min(bp, shown.p);
    bc = Math.min(bc, shown.c);
  }
  return { limited, billed: { p: bp, c: bc } };
}
const ceilDiv = (a, b) => (a + b - 1n) / b;
const I64 = 2n ** 63n - 1n;

/** Steps 9–20 of §11 on a receipt already read; returns the first failure or null. */
function rules(x, keyId) {
  if (x.coordinator_key_id !== keyId) {
    return `receipt.coordinator_key_id ${x.coordinator_key_id} != key_id ${keyId}`;
  }
  if (nodeIdOf(x.node_public_key) !== x.node_id) return `node_public_key does not derive node_id ${x.node_id}`;
  // 11. the node's proof
  const proofDoc = canonical(x.node_proof.doc, 'node proof: proof');
  const psig = tryFail(() => b64url(x.node_proof.signature, 64, 'signature'), 'node proof: ');
  if (typeof psig === 'string') return psig;
  if (!edOk(x.node_public_key, signed('pinaivu/proof/v1\n', proofDoc), psig)) {
    return "node proof: signature does not verify under the node's public key";
  }
  const proof = tryFail(() => readProof(x.node_proof.doc), 'node proof: ');
  if (typeof proof === 'string') return proof;
  if (proof.node_id !== nodeIdOf(x.node_public_key)) {
    return `node proof: node_id ${proof.node_id} does not derive from the signing key`;
  }
  // 12. the token's hash and shape
  if (hex(sha256(utf8(x.dispatch_token))) !== x.dispatch_token_sha256) {
    return 'dispatch_token_sha256 is not the SHA-256 of dispatch_token';
  }
  const parts = tryFail(() => splitToken(x.dispatch_token), '');
  if (typeof parts === 'string') return parts;
  const token = tryFail(() => readToken(parts.payload), '');
  if (typeof token === 'string') return token;
  // 13. agreement with the proof
  for (const [m, a, b] of [
    ['request_id', x.request_id, proof.request_id],
    ['node_id', x.node_id, proof.node_id],
    ['model', x.model, proof.model],
    ['request_sha256', x.request_sha256, proof.request_sha256],
    ['response_sha256', x.response_sha256, proof.response_sha256],
    ['dispatch_token_sha256', x.dispatch_token_sha256, proof.dispatch_token_sha256],
    ['outcome', x.outcome, proof.outcome],
    ['usage', JSON.stringify(x.usage), JSON.stringify(proof.usage)],
  ]) {
    if (a !== b) return `node proof: ${m} differs from the receipt's`;
  }
  // 14. totals
  for (const [m, u] of [
    ['usage', x.usage],
    ['billing.claimed', x.billing.claimed],
    ['billing.shown_usage', x.billing.shown],
    ['billed_usage', x.billed],
  ]) {
    if (u && u.t !== u.p + u.c) {
      return `${m}.total_tokens ${u.t} != prompt_tokens ${u.p} + completion_tokens ${u.c}`;
    }
  }
  // 15. delivery
  if (proof.delivered > proof.usage.c) {
    return `node proof: delivered_completion_tokens ${proof.delivered} > usage.completion_tokens ${proof.usage.c}`;
  }
  if (proof.outcome === 'completed' && proof.delivered !== proof.usage.c) {
    return `node proof: a completed job must deliver all usage.completion_tokens, but delivered ${proof.delivered}`;
  }
  // 16. the token's request
  for (const [m, a, b] of [
    ['request_id', token.request_id, x.request_id],
    ['node_id', token.node_id, x.node_id],
    ['model', token.model, x.model],
    ['request_sha256', token.request_sha256, x.request_sha256],
  ]) {
    if (a !== b) return `dispatch token: ${m} differs from the receipt's`;
  }
  // 17. the offer
  const offerDoc = tryFail(() => canonical(x.node_offer.doc, 'node offer'), '');
  if (offerDoc.startsWith('node offer cannot')) return offerDoc;
  const osig = tryFail(() => b64url(x.node_offer.signature, 64, 'signature'), 'node offer: ');
  if (typeof osig === 'string') return osig;
  if (!edOk(x.node_public_key, signed('pinaivu/node-offer/v1\n', offerDoc), osig)) {
    return "node offer: signature does not verify under the node's key";
  }
  const offer = tryFail(() => readOffer(x.node_offer.doc), 'node offer: ');
  if (typeof offer === 'string') return offer;
  if (offer.node_id !== nodeIdOf(x.node_public_key)) {
    return `node offer: node_id ${offer.node_id} does not derive from the signing key`;
  }
  if (offer.node_id !== token.node_id) return 'node offer: node_id is not the node the token dispatched to';
  if (hex(sha256(utf8(offerDoc))) !== token.offer_sha256) {
    return "node offer: its SHA-256 is not the dispatch token's offer_sha256";
  }
  const model = offer.models.find((m) => m.id === token.model);
  if (!model) return `node offer: the node does not offer model ${token.model}`;
  if (model.input !== token.input || model.output !== token.output) {
    return `dispatch token: prices ${token.input}/${token.output} µUSD per Mtok are not the node's offer ${model.input}/${model.output}`;
  }
  // 18. billing
  const claim = claimOf(proof);
  const bc = x.billing.claimed;
  if (bc.p !== claim.p || bc.c !== claim.c) {
    return `billing.claimed ${bc.p}/${bc.c} != ${claim.p}/${claim.c}: ` + claimRule(proof);
  }
  const expected = billingOf(claim, token, x.times.first !== null, x.billing.delivered_limit, x.billing.shown);
  if (JSON.stringify(x.billing.limited_by) !== JSON.stringify(expected.limited)) {
    return `billing.limited_by [${x.billing.limited_by.join(', ')}] != [${expected.limited.join(', ')}]: the limits below the claim`;
  }
  if (x.billed.p !== expected.billed.p || x.billed.c !== expected.billed.c) {
    return `billed_usage ${x.billed.p}/${x.billed.c} != ${expected.billed.p}/${expected.billed.c}: the claim cut to every limit`;
  }
  if (x.note === null && (x.outcome !== 'completed' || x.billing.limited_by.length > 0)) {
    return 'note is missing: a receipt that is not completed, or billed less than claimed, must say what was billed';
  }
  // 19. times
  const t = x.times;
  if (t.first !== null && t.first < t.dispatched) return 'times.first_token_at_ms is before times.dispatched_at_ms';
  if (t.ended < (t.first !== null ? t.first : t.dispatched)) return 'times.ended_at_ms is before the dispatch or the first token';
  if (t.issued < t.ended) return 'times.issued_at_ms is before times.ended_at_ms';
  // 20. the charge
  const c = x.charge;
  if (c.input !== token.input || c.output !== token.output) return "charge: prices are not the dispatch token's";
  if (c.fee_bps !== token.fee_bps) return `charge.fee_bps ${c.fee_bps} is not the dispatch token's fee_bps ${token.fee_bps}`;
  const sum = BigInt(x.billed.p) * BigInt(c.input) + BigInt(x.billed.c) * BigInt(c.output);
  if (BigInt(x.billed.p) * BigInt(c.input) > I64 || BigInt(x.billed.c) * BigInt(c.output) > I64 || sum > I64) {
    return 'charge overflows 64-bit arithmetic';
  }
  const nodeAmount = ceilDiv(sum, 1000000n);
  if (BigInt(c.node_amount) !== nodeAmount) {
    return `charge.node_amount ${c.node_amount} != ceil((${x.billed.p} prompt * ${c.input} + ${x.billed.c} completion * ${c.output}) / 1000000) = ${nodeAmount}`;
  }
  const fee = ceilDiv(BigInt(c.node_amount) * BigInt(c.fee_bps), 10000n);
  if (BigInt(c.fee) !== fee) return `charge.fee ${c.fee} != ceil(node_amount ${c.node_amount} * fee_bps ${c.fee_bps} / 10000) = ${fee}`;
  if (c.total !== c.node_amount + c.fee) {
    return `charge.total_charged ${c.total} != node_amount ${c.node_amount} + fee ${c.fee} = ${c.node_amount + c.fee}`;
  }
  return { token, parts };
}
function claimRule(p) {
  if (p.outcome === 'completed') return 'a completed job claims its whole usage';
  return p.delivered === 0
    ? `a ${p.outcome} job that delivered nothing claims nothing`
    : `a ${p.outcome} job claims the prompt and the delivered tokens`;
}
function tryFail(f, prefix) {
  try {
    return f();
  } catch (e) {
    if (e instanceof Invalid) return prefix + e.message;
    throw e;
  }
}

// ---- §11: the whole receipt
function verifyReceipt(bytes, keys, allowDev) {
  if (bytes.length > 1 << 20) fail('the receipt file is larger than 1048576 bytes');
  const env = parseFile(bytes, 'not a JSON receipt');
  if (!isObj(env)) fail('a receipt file is a JSON object {alg, key_id, receipt, signature}');
  for (const m of ['alg', 'key_id', 'signature']) {
    if (typeof env.get(m) !== 'string') fail(`envelope member ${m} is missing or not a string`);
  }
  if (!isObj(env.get('receipt'))) fail('envelope member receipt is missing or not an object');
  if (env.get('alg') !== 'Ed25519') fail(`alg "${env.get('alg')}" is not supported (only Ed25519)`);
  const keyId = env.get('key_id');
  const key = keys.get(keyId);
  if (!key) fail(`key_id ${keyId.length > 80 ? keyId.slice(0, 80) + '…' : keyId} is not a trusted coordinator key (wrong key)`);
  const body = env.get('receipt');
  const doc = canonical(body, 'receipt');
  const sig = b64url(env.get('signature'), 64, 'signature');
  if (!edOk(key.pk, signed('pinaivu/receipt/v1\n', doc), sig)) {
    let hint = tryFail(() => {
      const r = rules(readReceipt(body), keyId);
      return typeof r === 'string' ? r : '';
    }, '');
    fail('signature does not verify (receipt was altered or signed by another key)' + (hint ? '; first inconsistency: ' + hint : ''));
  }
  if (key.dev && !allowDev) fail(devRefusal(keyId));
  const x = readReceipt(body);
  const checked = rules(x, keyId);
  if (typeof checked === 'string') fail(checked);
  // 21. the token's signature, under a trusted key
  const tkId = checked.token.key_id;
  const tkey = keys.get(tkId);
  if (!tkey) fail(`dispatch token: key_id ${tkId} is not a trusted coordinator key (wrong key)`);
  if (!edOk(tkey.pk, Buffer.concat([utf8('pinaivu/dispatch-token/v1\n'), checked.parts.payloadBytes]), checked.parts.sig)) {
    fail(`dispatch token was not signed by coordinator key ${tkId}`);
  }
  if (tkey.dev && !allowDev) fail('dispatch token: ' + devRefusal(tkId));
  return { env, x, key };
}
const devRefusal = (id) => `key ${id} is a development key (dev attestation, not an enclave); pass --allow-dev to accept it`;

// ---- docs/transparency-log.md: notes, checkpoints, inclusion
function verifyCheckpoint(note, origin, keys) {
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) fail('the note holds a control character');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) fail('the note has no signature');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2);
  if (!lines.endsWith('\n')) fail('the note does not end in a newline');
  const sigs = lines.slice(0, -1).split('\n').map((l) => {
    const m = /^\u2014 ([^ ]+) ([A-Za-z0-9+/=]+)$/.exec(l);
    if (!m) fail('a malformed signature line');
    const blob = Buffer.from(m[2], 'base64');
    if (blob.toString('base64') !== m[2] || blob.length <= 4) fail('a malformed signature');
    return { name: m[1], blob };
  });
  if (sigs.length > 64) fail('too many signatures');
  // a trusted key counts when it made at least one signature under the origin and none fails
  let signedBy = null;
  for (const k of keys) {
    const id = sha256(Buffer.concat([utf8(origin), Buffer.from([0x0a, 0x01]), k.pk])).subarray(0, 4);
    const mine = sigs.filter((s) => s.name === origin && s.blob.subarray(0, 4).equals(id));
    if (mine.length > 0 && mine.every((s) => s.blob.length === 68 && edOk(k.pk, utf8(text), s.blob.subarray(4)))) {
      signedBy = k;
      break;
    }
  }
  const first = text.slice(0, Math.max(0, text.indexOf('\n')));
  if (!signedBy) {
    if (first !== origin) fail(`the checkpoint is for origin "${first}", not "${origin}"`);
    fail(`the checkpoint is not signed by any of the ${keys.length} trusted coordinator keys`);
  }
  const body = text.slice(0, -1).split('\n');
  if (body.length < 3 || body.some((l) => l === '')) fail('not a checkpoint');
  if (!/^(0|[1-9][0-9]*)$/.test(body[1]) || BigInt(body[1]) >= 2n ** 63n) fail('bad tree size');
  const root = Buffer.from(body[2], 'base64');
  if (root.length !== 32 || root.toString('base64') !== body[2]) fail('bad root hash');
  if (body[0] !== origin) fail(`the checkpoint is for origin "${body[0]}", not "${origin}"`);
  return { origin: body[0], size: Number(body[1]), root };
}
const node = (l, r) => sha256(Buffer.concat([Buffer.from([1]), l, r]));
function inclusion(index, size, path, leaf, root) {
  if (index >= size) return `leaf index ${index} is not below the tree size ${size}`;
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) return 'the proof has more hashes than the leaf has ancestors';
    if ((fn & 1n) === 1n || fn === sn) {
      r = node(p, r);
      if ((fn & 1n) === 0n) while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
    } else r = node(r, p);
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return 'the proof has fewer hashes than the leaf has ancestors';
  return r.equals(root) ? null : `the proof leads to root ${hex(r)}, not ${hex(root)}`;
}
function checkLog(env, keys, origin) {
  if (!env.has('log')) return '';
  const log = env.get('log');
  if (!isObj(log)) fail('log: the log member must be an object {index[, tree_size, inclusion_path, checkpoint]}');
  const int = (m) => {
    const v = log.get(m);
    if (typeof v !== 'number') fail(`log: log.${m} is missing or not an integer`);
    return v;
  };
  const index = int('index');
  if (!log.has('tree_size') && !log.has('inclusion_path') && !log.has('checkpoint')) {
    return `; log index ${index}, not yet in a signed checkpoint (fetch it again to prove it logged)`;
  }
  const size = int('tree_size');
  const path = log.get('inclusion_path');
  if (!Array.isArray(path)) fail('log: log.inclusion_path is missing or not an array');
  const hashes = path.map((h) => {
    if (typeof h !== 'string') fail('log: log.inclusion_path holds a value that is not a string');
    const b = Buffer.from(h, 'base64');
    if (b.length !== 32 || b.toString('base64') !== h) fail(`log: not canonical padded base64: ${h}`);
    return b;
  });
  if (typeof log.get('checkpoint') !== 'string') fail('log: log.checkpoint is missing or not a string');
  const cp = tryFail(() => verifyCheckpoint(log.get('checkpoint'), origin, keys), 'log: ');
  if (typeof cp === 'string') fail(cp);
  if (size !== cp.size) fail(`log: tree_size ${size} is not the checkpoint's size ${cp.size}`);
  const entry = new Map(['alg', 'key_id', 'receipt', 'signature'].map((m) => [m, env.get(m)]));
  const leaf = sha256(Buffer.concat([Buffer.from([0]), utf8(jcs(entry))]));
  const why = inclusion(index, size, hashes, leaf, cp.root);
  if (why) fail(`log: the receipt is not leaf ${index} of the signed tree: ${why}`);
  return `; logged: leaf ${index} of the signed tree of ${size}`;
}

// ---- the command
function run(bytes, opts) {
  try {
    const { env, x, key } = verifyReceipt(bytes, opts.keys, opts.allowDev);
    let suffix = '';
    if (opts.clientResponse) {
      const saved = hex(sha256(opts.clientResponse));
      if (saved !== x.client_response_sha256) {
        fail(`client response: the SHA-256 of the ${opts.clientResponse.length} bytes saved is ${saved}, not the receipt's client_response_sha256 ${x.client_response_sha256}`);
      }
    }
    const logKeys = [...opts.keys.values()].filter((k) => opts.allowDev || !k.dev);
    suffix += checkLog(env, logKeys, opts.origin);
    if (opts.clientResponse) suffix += `; client response matches (${opts.clientResponse.length} bytes)`;
    const dollars = (BigInt(x.charge.total) / 1000000n).toString() + '.' + (BigInt(x.charge.total) % 1000000n).toString().padStart(6, '0');
    return { ok: true, line: `valid: ${x.request_id} model=${x.model} node=${x.node_id} total=$${dollars} (key ${key.id}, ${key.dev ? 'dev' : 'nitro'})${suffix}` };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, line: 'invalid: ' + e.message };
    throw e;
  }
}
// Printed text escapes control, line-separator and bidi characters, so no file forges a line.
const printable = (s) => s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
  (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

function main(argv) {
  const opts = { keys: new Map(), allowDev: false, origin: 'local.pinaivu.dev/receipts', clientResponse: null };
  let target = null;
  let batch = null;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '--allow-dev') opts.allowDev = true;
    else if (a === '--coordinator-key') {
      const pk = Buffer.from(argv[++k], 'base64url'); // a bare key attests nothing: a dev key
      const id = hex(sha256(pk));
      opts.keys.set(id, { id, pk, dev: true });
    } else if (a === '--log-origin') opts.origin = argv[++k];
    else if (a === '--client-response') opts.clientResponse = readFileSync(argv[++k]);
    else if (a === '--batch') batch = argv[++k];
    else target = a;
  }
  if (batch) {
    for (const name of readdirSync(batch).sort()) {
      process.stdout.write(`${name}\t${printable(run(readFileSync(join(batch, name)), opts).line)}\n`);
    }
    return 0;
  }
  let bytes;
  try {
    bytes = readFileSync(target);
  } catch (e) {
    process.stderr.write(`cannot verify ${target}: ${e.message}\n`);
    return 2;
  }
  const verdict = run(bytes, opts);
  process.stdout.write(printable(verdict.line) + '\n');
  return verdict.ok ? 0 : 1;
}
process.exitCode = main(process.argv.slice(2));
