// The Fedify 2 peer, run on Node 22: tests/interop/peer_core.mjs says what it does.
//   node fedify2/peer.mjs FIRST_KNOCK INSTCTL_HOST [ACCOUNT_HOST]
// FIRST_KNOCK: rfc9421 or draft-cavage-http-signatures-12, the standard Fedify signs with
// first for a server it has not met.
import { createFederation, generateCryptoKeyPair, MemoryKvStore } from "@fedify/fedify";
import * as vocab from "@fedify/vocab";
import { getDocumentLoader } from "@fedify/vocab-runtime";
import { lookupWebFinger } from "@fedify/webfinger";
import { runPeer } from "../peer_core.mjs";

const [firstKnock, ...hosts] = process.argv.slice(2);
if (!["rfc9421", "draft-cavage-http-signatures-12"].includes(firstKnock)) {
  console.error(`fedify2/peer.mjs: unknown first knock "${firstKnock}" (rfc9421 or draft-cavage-http-signatures-12)`);
  process.exit(2);
}
await runPeer(
  { createFederation, generateCryptoKeyPair, MemoryKvStore, getDocumentLoader, lookupWebFinger, ...vocab },
  hosts,
  { firstKnock },
);
