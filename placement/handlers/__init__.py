"""HTTP handlers: one function per route and method.

A handler reads the request (query, body, microversion), checks policy,
calls objects, and shapes the response for the requested microversion.
"""
