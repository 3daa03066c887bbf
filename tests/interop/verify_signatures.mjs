// Verifies instctl's signed POSTs with Fedify, an independent ActivityPub implementation.
//
//   node verify_signatures.mjs POSTS.ndjson KEYS.json
//
// POSTS.ndjson: the requests a test inbox received, one JSON object per line:
//   {"path": "/inbox", "headers": {...}, "body": "..."}  (tests/servers/fake_peer.py writes these)
// KEYS.json: {"<actor id>": "<public key PEM>", ...}: the actors the signatures may name; the
// key document for a keyId is served from here instead of the network. Like a peer that
// caches keys and never fetches them again, the only way a key changes is a verified Update
// of the actor: its publicKeyPem replaces the cached key for the requests that follow.
// Prints one line per request and exits 1 if Fedify rejects any of them.
import { readFileSync } from "node:fs";
import { verifyRequest } from "@fedify/fedify/sig";
import { getDocumentLoader } from "@fedify/fedify/runtime";

const [postsFile, keysFile] = process.argv.slice(2);
const keys = JSON.parse(readFileSync(keysFile, "utf8"));
const posts = readFileSync(postsFile, "utf8").split("\n").filter((l) => l.trim() !== "");
const preloaded = getDocumentLoader();  // serves the ActivityStreams and security contexts offline

function actorDocument(id) {
  return {
    "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
    id,
    type: "Person",
    inbox: `${id}/inbox`,
    publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem: keys[id] },
  };
}

async function documentLoader(url) {
  const id = url.split("#")[0];
  if (id in keys) return { contextUrl: null, documentUrl: url, document: actorDocument(id) };
  return await preloaded(url);
}

if (posts.length === 0) {
  console.error("no requests to verify");
  process.exit(1);
}
let failures = 0;
for (const line of posts) {
  const post = JSON.parse(line);
  const headers = new Headers();
  for (const [name, value] of Object.entries(post.headers)) headers.set(name, value);
  const request = new Request(`http://${headers.get("host")}${post.path}`, {
    method: "POST",
    headers,
    body: post.body,
  });
  const key = await verifyRequest(request, {
    documentLoader,
    contextLoader: preloaded,  // Date must be within Fedify's default window of now
  }).catch((e) => {
    console.error(`error: ${e}`);
    return null;
  });
  if (key == null) {
    failures++;
    console.log(`REJECTED ${post.path} ${headers.get("signature")}`);
  } else {
    console.log(`verified ${post.path} by ${key.id}`);
    const activity = JSON.parse(post.body);
    const object = activity.object;
    if (activity.type === "Update" && object?.id === activity.actor && object.id in keys &&
        object.publicKey?.publicKeyPem) {
      keys[object.id] = object.publicKey.publicKeyPem;
    }
  }
}
process.exit(failures === 0 ? 0 : 1);
