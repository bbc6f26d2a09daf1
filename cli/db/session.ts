// Opening `pg` sessions to the databases of one server with one set of credentials.

import { Client } from "pg";

import { InputError } from "../audit/errors";
import { clientConfig, describe, redact, type Connection } from "./connection";

/** Connections to one server, one client per database, opened on first use. */
export class Sessions {
  private readonly clients = new Map<string, Promise<Client>>();

  constructor(
    readonly connection: Connection,
    private readonly password: string,
  ) {}

  /** A one-line message without the password. */
  clean(text: string): string {
    return redact(text, [this.password, this.connection.password]).split("\n", 1)[0];
  }

  /** The client for `database` (the connection's own by default). Refusals are bad input (exit 2). */
  get(database = this.connection.database): Promise<Client> {
    let client = this.clients.get(database);
    if (!client) {
      client = this.open(database);
      this.clients.set(database, client);
    }
    return client;
  }

  private async open(database: string): Promise<Client> {
    const client = new Client(clientConfig(this.connection, this.password, database));
    client.on("error", () => undefined);
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      const e = err as { code?: string; message?: string };
      throw new InputError(
        "usage",
        `cannot connect to ${describe(this.connection, database)}: ${this.clean(e.message ?? String(err))}${e.code ? ` (${e.code})` : ""}`,
      );
    }
    return client;
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((p) => p.then((c) => c.end()).catch(() => undefined)));
  }
}
