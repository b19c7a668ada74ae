"""The X API v2 backend, through tweepy: sign-in, credentials, the HTTP session and the request meter."""
