"""The Bluesky (AT Protocol) backend: the ``Backend`` protocol over the ``atproto`` SDK's XRPC client."""
