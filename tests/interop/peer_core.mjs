// A Fedify (independent ActivityPub implementation) instance on a loopback port, with one
// actor "fed", that follows, reports and unfollows a user of instctl serve, and receives the
// Accept or Reject in its own inbox, where Fedify verifies its HTTP signature against the
// sender's key.
// The same peer runs on Fedify 1.5.9 (fedify_peer.mjs) and on Fedify 2 (fedify2/peer.mjs): each
// passes its own Fedify modules to runPeer.
//
//   node fedify_peer.mjs INSTCTL_HOST [ACCOUNT_HOST]
//   node fedify2/peer.mjs rfc9421|draft-cavage-http-signatures-12 INSTCTL_HOST [ACCOUNT_HOST]
//
// INSTCTL_HOST: localhost:PORT, plain http. ACCOUNT_HOST: the instance's account domain when
// handles use another name than its web host; acct: look-ups there go over plain http too.
// Fedify 2's first argument is its first knock: the HTTP signature standard it tries first
// with a server it has not met (on a 4xx it knocks again with the other one and remembers).
//
// Prints {"ready": true, "base": "http://127.0.0.1:PORT", "actor": URI} once it listens, then
// reads commands on stdin, one per line, and answers each with one JSON line:
//   resolve @USER@HOST   WebFinger, then the actor               {"ok": true, "subject", "actor", ...}
//   follow USER          sends a signed Follow of USER           {"ok": true, "follow": ID, "knocks"}
//                        (USER: a name on INSTCTL_HOST, or a handle @USER@HOST found by WebFinger)
//   wait-accept SECONDS [N]  waits for N (1) verified Accepts      {"ok": true, "accept": {last}}
//   wait-reject SECONDS [N]  waits for N (1) verified Rejects      {"ok": true, "reject": {last}}
//   wait-flag SECONDS [N]    waits for N (1) verified Flags        {"ok": true, "flag": {last}}
//   received             what arrived so far                     {"ok": true, "accepts": N,
//                                                                 "rejects": N, "flags": N}
//   flag USER TEXT       sends a signed Flag of USER             {"ok": true, "knocks"}
//   undo USER            sends a signed Undo of the last Follow  {"ok": true, "knocks"}
// "knocks" lists the command's POSTs to instctl in order, [{"signature", "status"}]; an Accept
// or Flag received says which "signature" it carried. A signature is "rfc9421" (Signature-Input
// and Signature headers), "draft-cavage-http-signatures-12" (Signature alone) or "none".
// Activities that fail Fedify's signature check never reach the listener: Fedify answers 401.
import http from "node:http";
import readline from "node:readline";

// Which HTTP signature standard a request's headers carry.
function signatureOf(headers) {
  if (headers.has("signature-input")) return "rfc9421";
  return headers.has("signature") ? "draft-cavage-http-signatures-12" : "none";
}

// lib: the Fedify modules, { createFederation, generateCryptoKeyPair, MemoryKvStore,
// getDocumentLoader, lookupWebFinger, Accept, Endpoints, Flag, Follow, lookupObject, Person,
// Reject, Undo }. federationOptions: more createFederation options (Fedify 2's firstKnock).
export async function runPeer(lib, [instctlHost, ...accountHosts], federationOptions = {}) {
  const { Accept, Endpoints, Flag, Follow, lookupObject, Person, Reject, Undo } = lib;
  const ours = [instctlHost, ...accountHosts];

  // acct: look-ups go to https://HOST; the test server speaks plain http on loopback. POSTs to
  // instctl are noted as knocks.
  let knocks = [];
  const realFetch = globalThis.fetch;
  const send = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    for (const host of ours) {
      const prefix = `https://${host}/`;
      if (!url.startsWith(prefix)) continue;
      const rewritten = `http://${host}/${url.slice(prefix.length)}`;
      return realFetch(input instanceof Request ? new Request(rewritten, input) : rewritten, init);
    }
    return realFetch(input, init);
  };
  globalThis.fetch = async (input, init) => {
    const isRequest = input instanceof Request;
    const method = init?.method ?? (isRequest ? input.method : "GET");
    const headers = new Headers(init?.headers ?? (isRequest ? input.headers : undefined));
    const host = new URL(isRequest ? input.url : String(input)).host;
    const response = await send(input, init);
    if (method === "POST" && ours.includes(host)) {
      knocks.push({ signature: signatureOf(headers), status: response.status });
    }
    return response;
  };
  const documentLoader = lib.getDocumentLoader({ allowPrivateAddress: true });
  const federation = lib.createFederation({
    kv: new lib.MemoryKvStore(), allowPrivateAddress: true, ...federationOptions,
  });
  const keyPair = await lib.generateCryptoKeyPair("RSASSA-PKCS1-v1_5");

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

  // The signature standard of each activity that came in, by its id.
  const signatures = new Map();
  const accepts = [];
  const rejects = [];
  const flags = [];
  const rejected = [];
  // An Accept or Reject of one of our Follows, as it arrived.
  const answer = (activity) => ({
    id: activity.id?.href,
    actor: activity.actorId?.href,
    object: activity.objectId?.href,
    signature: signatures.get(activity.id?.href),
  });
  federation
    .setInboxListeners("/users/{identifier}/inbox", "/inbox")
    .on(Accept, async (_ctx, accept) => { accepts.push(answer(accept)); })
    .on(Reject, async (_ctx, reject) => { rejects.push(answer(reject)); })
    .on(Flag, async (_ctx, flag) => {
      flags.push({
        id: flag.id?.href,
        actor: flag.actorId?.href,
        objects: flag.objectIds.map((o) => o.href),
        content: flag.content?.toString(),
        signature: signatures.get(flag.id?.href),
      });
    })
    .onError((_ctx, error) => rejected.push(String(error)));

  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
    const hasBody = !["GET", "HEAD"].includes(req.method);
    if (hasBody) {
      try {
        signatures.set(JSON.parse(Buffer.concat(chunks).toString()).id, signatureOf(headers));
      } catch { /* not JSON: Fedify answers it */ }
    }
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
      const jrd = await lib.lookupWebFinger(`acct:${handle.replace(/^@/, "")}`, { allowPrivateAddress: true });
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
      return { follow: lastFollow.id.href, knocks };
    },
    async "wait-accept"(seconds, count = "1") {
      await waitFor(accepts, "Accept", seconds, count);
      return { accept: accepts[accepts.length - 1], accepts: accepts.length };
    },
    async "wait-reject"(seconds, count = "1") {
      await waitFor(rejects, "Reject", seconds, count);
      return { reject: rejects[rejects.length - 1], rejects: rejects.length };
    },
    async "wait-flag"(seconds, count = "1") {
      await waitFor(flags, "Flag", seconds, count);
      return { flag: flags[flags.length - 1], flags: flags.length };
    },
    async received() {
      return { accepts: accepts.length, rejects: rejects.length, flags: flags.length };
    },
    async flag(user, ...words) {
      const alice = await target(user);
      const flag = new Flag({
        id: new URL(`${base}/flags/${Date.now()}`), actor: me, object: alice.id, content: words.join(" "),
      });
      await ctx.sendActivity({ identifier: "fed" }, alice, flag);
      return { knocks };
    },
    async undo(user) {
      const alice = await target(user);
      const undo = new Undo({ id: new URL(`${base}/undos/${Date.now()}`), actor: me, object: lastFollow });
      await ctx.sendActivity({ identifier: "fed" }, alice, undo);
      return { knocks };
    },
  };

  say({ ready: true, base, actor: me.href });
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    const [name, ...args] = line.trim().split(/\s+/);
    if (name === "quit") break;
    try {
      if (!(name in commands)) throw new Error(`unknown command ${name}`);
      knocks = [];
      say({ ok: true, ...(await commands[name](...args)) });
    } catch (e) {
      say({ ok: false, error: String(e?.stack ?? e) });
    }
  }
  server.close();
  process.exit(0);
}
