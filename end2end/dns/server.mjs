// A tiny authoritative DNS server for the browser journeys (domains.spec.ts), on Node's own UDP
// socket, so nothing more is installed. It answers TXT questions from a JSON file
// ({"host": ["value", …]}) read again on every question, so a journey publishes or takes away a
// record by writing the file. A name not in the file does not exist (NXDOMAIN).
//   DNS_RECORDS  the JSON file (default target/e2e/dns.json)
//   DNS_ADDRESS  where to listen (default 127.0.0.1:5354)
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';

const file = process.env.DNS_RECORDS ?? 'target/e2e/dns.json';
const [host, port] = (process.env.DNS_ADDRESS ?? '127.0.0.1:5354').split(':');
const TXT = 16;
const ANY = 255;

function records() {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

// The question's name (lower-case, no final dot) and where the question ends.
function question(message) {
  const labels = [];
  let at = 12;
  while (at < message.length && message[at] !== 0) {
    const length = message[at];
    if (length > 63) return null; // no compression in a question
    labels.push(message.subarray(at + 1, at + 1 + length).toString('latin1'));
    at += 1 + length;
  }
  if (at + 5 > message.length) return null;
  return { name: labels.join('.').toLowerCase(), type: message.readUInt16BE(at + 1), end: at + 5 };
}

function txtRecord(value) {
  const bytes = Buffer.from(value, 'utf8');
  const parts = [];
  for (let at = 0; at < bytes.length || at === 0; at += 255) {
    const chunk = bytes.subarray(at, at + 255);
    parts.push(Buffer.from([chunk.length]), chunk);
    if (bytes.length === 0) break;
  }
  const data = Buffer.concat(parts);
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
  head.writeUInt16BE(TXT, 2);
  head.writeUInt16BE(1, 4); // class IN
  head.writeUInt32BE(0, 6); // TTL 0: never cached
  head.writeUInt16BE(data.length, 10);
  return Buffer.concat([head, data]);
}

function answer(message) {
  if (message.length < 12) return null;
  const q = question(message);
  const header = Buffer.alloc(12);
  message.copy(header, 0, 0, 2); // id
  const recursionDesired = message[2] & 0x01;
  if (!q || message.readUInt16BE(4) !== 1) {
    header.writeUInt16BE(0x8400 | (recursionDesired << 8) | 1, 2); // FORMERR
    return header;
  }
  const values = records()[q.name];
  const answers = values && (q.type === TXT || q.type === ANY) ? values.map(txtRecord) : [];
  const rcode = values ? 0 : 3; // NXDOMAIN when the name is not in the file
  header.writeUInt16BE(0x8400 | (recursionDesired << 8) | rcode, 2); // QR, AA
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, message.subarray(12, q.end), ...answers]);
}

const socket = createSocket('udp4');
socket.on('message', (message, from) => {
  const reply = answer(message);
  if (reply) socket.send(reply, from.port, from.address);
});
socket.bind(Number(port), host, () => {
  console.log(`test DNS server on ${host}:${port}, records from ${file}`);
});
