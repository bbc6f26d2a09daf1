// Does the server accept a plaintext connection? A StartupMessage is sent without TLS and without any
// credential, and only the server's first answer is read: an ErrorResponse means it refused the
// connection before authentication (pg_hba `hostnossl ... reject`, or Azure's
// require_secure_transport); an Authentication request means it would go on in plaintext. The
// connection is closed before any password or token could be sent.
//
// Message formats: PostgreSQL 15 "Frontend/Backend Protocol, Message Formats"
// (https://www.postgresql.org/docs/15/protocol-message-formats.html, read 2026-11-30): StartupMessage
// is Int32 length, Int32 196608 (protocol 3.0), then name/value C strings and a final NUL;
// ErrorResponse is 'E' with fields (byte code + C string), 'C' the SQLSTATE and 'M' the message.

import * as net from "node:net";

export type ProbeResult =
  | { outcome: "refused"; sqlstate: string; message: string }
  | { outcome: "accepted"; authRequest: number }
  | { outcome: "unknown"; reason: string };

function startupMessage(user: string, database: string): Buffer {
  const body = Buffer.concat([
    Buffer.from([0, 3, 0, 0]),
    Buffer.from(`user\0${user}\0database\0${database}\0application_name\0zt-postgres-probe\0\0`, "utf8"),
  ]);
  const len = Buffer.alloc(4);
  len.writeInt32BE(body.length + 4);
  return Buffer.concat([len, body]);
}

function errorFields(payload: Buffer): Map<string, string> {
  const fields = new Map<string, string>();
  let i = 0;
  while (i < payload.length && payload[i] !== 0) {
    const code = String.fromCharCode(payload[i]);
    const end = payload.indexOf(0, i + 1);
    if (end < 0) break;
    fields.set(code, payload.subarray(i + 1, end).toString("utf8"));
    i = end + 1;
  }
  return fields;
}

/** Sends a plaintext StartupMessage and reports the server's first answer. Never sends a credential. */
export function probePlaintext(
  host: string,
  port: number,
  user: string,
  database: string,
  timeoutMs = 10000,
): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    let done = false;
    const socket = net.connect({ host, port });
    const finish = (r: ProbeResult) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs, () =>
      finish({ outcome: "unknown", reason: `no answer in ${timeoutMs} ms` }),
    );
    socket.on("error", (err) => finish({ outcome: "unknown", reason: err.message }));
    socket.on("close", () =>
      finish({ outcome: "unknown", reason: "the server closed the connection without an answer" }),
    );
    socket.on("connect", () => socket.write(startupMessage(user, database)));
    socket.on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 5) return;
      const type = String.fromCharCode(buf[0]);
      const length = buf.readInt32BE(1);
      if (buf.length < 1 + length) return;
      const payload = buf.subarray(5, 1 + length);
      if (type === "E") {
        const f = errorFields(payload);
        finish({ outcome: "refused", sqlstate: f.get("C") ?? "", message: f.get("M") ?? "" });
      } else if (type === "R") {
        finish({ outcome: "accepted", authRequest: payload.length >= 4 ? payload.readInt32BE(0) : -1 });
      } else {
        finish({ outcome: "unknown", reason: `unexpected first message type ${JSON.stringify(type)}` });
      }
    });
  });
}
