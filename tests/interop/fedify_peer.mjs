// The Fedify 1.5.9 peer (draft-cavage signatures only): tests/interop/peer_core.mjs says what
// it does.   node fedify_peer.mjs INSTCTL_HOST [ACCOUNT_HOST]
import { createFederation, generateCryptoKeyPair, MemoryKvStore } from "@fedify/fedify";
import { getDocumentLoader } from "@fedify/fedify/runtime";
import * as vocab from "@fedify/fedify/vocab";
import { lookupWebFinger } from "@fedify/fedify/webfinger";
import { runPeer } from "./peer_core.mjs";

await runPeer(
  { createFederation, generateCryptoKeyPair, MemoryKvStore, getDocumentLoader, lookupWebFinger, ...vocab },
  process.argv.slice(2),
);
