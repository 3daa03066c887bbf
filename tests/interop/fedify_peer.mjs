// A Fedify (independent ActivityPub implementation) instance on a loopback port, with one
// actor "fed", that follows, reports and unfollows a user of instctl serve, and receives the
// Accept in its own inbox, where Fedify verifies its HTTP signature against the sender's key.
//
//   node fedify_peer.mjs INSTCTL_HOST [ACCOUNT_HOST]   (localhost:PORT, plain http)
//
// ACCOUNT_HOST: the instance's account domain when handles use another name than its web
// host; acct: look-ups there go over plain http too.
//
// Prints {"ready": true, "base": "http://127.0.0.1:PORT"} once it listens, then reads commands
// on stdin, one per line, and answers each with one JSON line:
//   resolve @USER@HOST   WebFinger, then the actor               {"ok": true, "subject", "actor", ...}
//   follow USER          sends a signed Follow of USER           {"ok": true, "follow": ID}
//                        (USER: a name on INSTCTL_HOST, or a handle @USER@HOST found by WebFinger)
//   wait-accept SECONDS [N]  waits for N (1) verified Accepts      {"ok": true, "accept": {last}}
//   wait-flag SECONDS [N]    waits for N (1) verified Flags        {"ok": true, "flag": {last}}
//   received             what arrived so far                     {"ok": true, "accepts": N, "flags": N}
//   flag USER TEXT       sends a signed Flag of USER             {"ok": true}
//   undo USER            sends a signed Undo of the last Follow  {"ok": true}
// Activities that fail Fedify's signature check never reach the listener: Fedify answers 401.
import http from "node:http";
import readline from "node:readline";
import { createFederation, generateCryptoKeyPair, MemoryKvStore } from "@fedify/fedify";
import { getDocumentLoader } from "@fedify/fedify/runtime";
import { Accept, Endpoints, Flag, Follow, lookupObject, Person, Undo } from "@fedify/fedify/vocab";
import { lookupWebFinger } from "@fedify/fedify/webfinger";

const [instctlHost, ...accountHosts] = process.argv.slice(2);

// acct: look-ups go to https://HOST; the test server speaks plain http on loopback.
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  for (const host of [instctlHost, ...accountHosts]) {
    const prefix = `https://${host}/`;
    if (!url.startsWith(prefix)) continue;
    const rewritten = `http://${host}/${url.slice(prefix.length)}`;
    return realFetch(input instanceof Request ? new Request(rewritten, input) : rewritten, init);
  }
  return realFetch(input, init);
};
const documentLoader = getDocumentLoader({ allowPrivateAddress: true });
const federation = createFederation({ kv: new MemoryKvStore(), allowPrivateAddress: true });
const keyPair = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== "fed") return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Fedify Peer",
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: keys[0].cryptographicKey,
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === "fed" ? [keyPair] : []));

const accepts = [];
const flags = [];
const rejected = [];
federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Accept, async (_ctx, accept) => {
    accepts.push({
      id: accept.id?.href,
      actor: accept.actorId?.href,
      object: accept.objectId?.href,
    });
  })
  .on(Flag, async (_ctx, flag) => {
    flags.push({
      id: flag.id?.href,
      actor: flag.actorId?.href,
      objects: flag.objectIds.map((o) => o.href),
      content: flag.content?.toString(),
    });
  })
  .onError((_ctx, error) => rejected.push(String(error)));

const server = http.createServer(async (req, res) => {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
  const hasBody = !["GET", "HEAD"].includes(req.method);
  const request = new Request(`http://${req.headers.host}${req.url}`, {
    method: req.method, headers, body: hasBody ? Buffer.concat(chunks) : undefined,
  });
  const response = await federation.fetch(request, { contextData: undefined });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const ctx = federation.createContext(new URL(base), undefined);
const me = ctx.getActorUri("fed");
let lastFollow = null;

function say(obj) { process.stdout.write(JSON.stringify(obj) + "\n"); }

async function target(user) {
  const actor = user.startsWith("@")
    ? await lookupObject(user, { documentLoader, contextLoader: documentLoader, allowPrivateAddress: true })
    : await ctx.lookupObject(`http://${instctlHost}/users/${user}`);
  if (!(actor instanceof Person)) throw new Error(`no Person at ${user}`);
  return actor;
}

// Waits up to SECONDS for COUNT verified activities in `list`.
async function waitFor(list, type, seconds, count) {
  const until = Date.now() + Number(seconds) * 1000;
  while (list.length < Number(count) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  if (list.length < Number(count)) {
    throw new Error(`${list.length} verified ${type}(s), expected ${count}; rejected: ${rejected.join("; ")}`);
  }
}

const commands = {
  async resolve(handle) {
    const jrd = await lookupWebFinger(`acct:${handle.replace(/^@/, "")}`, { allowPrivateAddress: true });
    if (jrd == null) throw new Error(`no WebFinger answer for ${handle}`);
    const actor = await target(handle);
    return {
      subject: jrd.subject,
      actor: actor.id?.href,
      preferred_username: actor.preferredUsername?.toString(),
      inbox: actor.inboxId?.href,
    };
  },
  async follow(user) {
    const alice = await target(user);
    lastFollow = new Follow({ id: new URL(`${base}/follows/${Date.now()}`), actor: me, object: alice.id });
    await ctx.sendActivity({ identifier: "fed" }, alice, lastFollow);
    return { follow: lastFollow.id.href };
  },
  async "wait-accept"(seconds, count = "1") {
    await waitFor(accepts, "Accept", seconds, count);
    return { accept: accepts[accepts.length - 1], accepts: accepts.length };
  },
  async "wait-flag"(seconds, count = "1") {
    await waitFor(flags, "Flag", seconds, count);
    return { flag: flags[flags.length - 1], flags: flags.length };
  },
  async received() {
    return { accepts: accepts.length, flags: flags.length };
  },
  async flag(user, ...words) {
    const alice = await target(user);
    const flag = new Flag({
      id: new URL(`${base}/flags/${Date.now()}`), actor: me, object: alice.id, content: words.join(" "),
    });
    await ctx.sendActivity({ identifier: "fed" }, alice, flag);
    return {};
  },
  async undo(user) {
    const alice = await target(user);
    const undo = new Undo({ id: new URL(`${base}/undos/${Date.now()}`), actor: me, object: lastFollow });
    await ctx.sendActivity({ identifier: "fed" }, alice, undo);
    return {};
  },
};

say({ ready: true, base, actor: me.href });
const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  const [name, ...args] = line.trim().split(/\s+/);
  if (name === "quit") break;
  try {
    if (!(name in commands)) throw new Error(`unknown command ${name}`);
    say({ ok: true, ...(await commands[name](...args)) });
  } catch (e) {
    say({ ok: false, error: String(e?.stack ?? e) });
  }
}
server.close();
process.exit(0);
