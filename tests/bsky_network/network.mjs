// Starts the reference AT Protocol servers (PLC, PDS, AppView, Ozone) from @atproto/dev-env on a local
// PostgreSQL, prints one JSON line with their URLs once they serve, and closes them on SIGTERM or when stdin
// closes (the pytest fixture that started it died). Run from a folder whose node_modules holds @atproto/dev-env.
// Environment: DB_POSTGRES_URL, DB_POSTGRES_SCHEMA (letters and underscores, new per run), REDIS_HOST (only
// asserted), TMPDIR (PDS data), and BSKY_PORTS="plc,pds,bsky,ozone".
import { TestNetwork } from '@atproto/dev-env'

const [plcPort, pdsPort, bskyPort, ozonePort] = (process.env.BSKY_PORTS || '').split(',').map(Number)
const network = await TestNetwork.create({
  dbPostgresSchema: process.env.DB_POSTGRES_SCHEMA,
  plc: { port: plcPort },
  pds: { port: pdsPort, hostname: 'localhost' },
  bsky: { port: bskyPort, publicUrl: `http://localhost:${bskyPort}` },
  ozone: { port: ozonePort, chatUrl: 'http://localhost:1', chatDid: 'did:example:chat' },
})

let closing = false
async function close() {
  if (closing) return
  closing = true
  await network.close()
  process.exit(0)
}
process.on('SIGTERM', close)
process.on('SIGINT', close)
process.stdin.on('end', close)
process.stdin.resume()

console.log(JSON.stringify({
  plc: network.plc.url,
  pds: network.pds.url,
  bsky: network.bsky.url,
  ozone: network.ozone.url,
}))
