// The HTTP surface as an OpenAPI 3.1 document, served at /openapi.json; the tests check
// real responses against it.

const error = { $ref: '#/components/responses/Error' };
const unauthorized = { $ref: '#/components/responses/Unauthorized' };
const forbidden = { $ref: '#/components/responses/Forbidden' };
const path = {
  name: 'path',
  in: 'path',
  required: true,
  description: 'The path inside the served tree, each segment percent-encoded once. `.`, `..`, encoded ' +
    'slashes, backslashes, control characters and malformed UTF-8 are refused with 400.',
  schema: { type: 'string' },
};
const secured = [{ basic: [] }, { bearer: [] }, { cookie: [] }];

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'edge-lru gateway',
    version: '0.1.0',
    description: "FTP over HTTP: each operation is checked against the user's rules, cached in edge-lru. " +
      'FTP commands map to operations as follows: LIST/NLST/MLSD -> GET a directory (list), RETR -> GET a ' +
      'file (read), STOR -> PUT, APPE -> PUT ?append (write), DELE/RMD -> DELETE (delete), MKD -> MKCOL ' +
      '(mkdir), RNFR/RNTO -> MOVE (rename on the source, write on the destination).',
  },
  components: {
    securitySchemes: {
      basic: { type: 'http', scheme: 'basic' },
      bearer: { type: 'http', scheme: 'bearer', description: 'The token returned by POST /api/login.' },
      cookie: { type: 'apiKey', in: 'cookie', name: 'gateway_session' },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'string' } },
        additionalProperties: false,
      },
      Entry: {
        type: 'object',
        required: ['name', 'type', 'size', 'mtime'],
        properties: {
          name: { type: 'string' },
          type: { enum: ['file', 'directory'] },
          size: { type: 'integer', minimum: 0 },
          mtime: { type: 'string', format: 'date-time' },
        },
        additionalProperties: false,
      },
      Listing: {
        type: 'object',
        required: ['path', 'entries'],
        properties: {
          path: { type: 'string' },
          entries: { type: 'array', items: { $ref: '#/components/schemas/Entry' } },
        },
        additionalProperties: false,
      },
      NameListing: {
        type: 'object',
        required: ['path', 'entries'],
        properties: {
          path: { type: 'string' },
          entries: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'type'],
              properties: { name: { type: 'string' }, type: { enum: ['file', 'directory'] } },
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
      Login: {
        type: 'object',
        required: ['user', 'password'],
        properties: { user: { type: 'string', minLength: 1, maxLength: 255 }, password: { type: 'string' } },
      },
      Session: {
        type: 'object',
        required: ['user', 'admin', 'token', 'expires'],
        properties: {
          user: { type: 'string' },
          admin: { type: 'boolean' },
          token: { type: 'string' },
          expires: { type: 'string', format: 'date-time' },
        },
        additionalProperties: false,
      },
      Identity: {
        type: 'object',
        required: ['user', 'admin'],
        properties: { user: { type: 'string' }, admin: { type: 'boolean' } },
        additionalProperties: false,
      },
      Stored: {
        type: 'object',
        required: ['path', 'size'],
        properties: { path: { type: 'string' }, size: { type: 'integer', minimum: 0 } },
        additionalProperties: false,
      },
      Created: {
        type: 'object',
        required: ['path'],
        properties: { path: { type: 'string' } },
        additionalProperties: false,
      },
      Moved: {
        type: 'object',
        required: ['from', 'to'],
        properties: { from: { type: 'string' }, to: { type: 'string' } },
        additionalProperties: false,
      },
      CacheView: {
        type: 'object',
        required: ['worker', 'users', 'evictions', 'stats'],
        properties: {
          worker: { type: 'string' },
          users: {
            type: 'array',
            description: 'Cached users, most recently used first.',
            items: {
              type: 'object',
              required: ['user', 'bytes'],
              properties: { user: { type: 'string' }, bytes: { type: 'integer' } },
            },
          },
          evictions: {
            type: 'array',
            description: 'The latest evictions, newest first.',
            items: {
              type: 'object',
              required: ['user', 'reason', 'time'],
              properties: {
                user: { type: 'string' },
                reason: { enum: ['evict', 'logout', 'clear', 'failed'] },
                time: { type: 'number' },
              },
            },
          },
          stats: {
            type: 'object',
            required: ['hits', 'misses', 'loads', 'evictions', 'users', 'bytes'],
            properties: {
              hits: { type: 'integer' },
              misses: { type: 'integer' },
              loads: { type: 'integer' },
              evictions: { type: 'integer' },
              users: { type: 'integer' },
              bytes: { type: 'integer' },
            },
          },
        },
      },
    },
    responses: {
      Error: {
        description: 'A bad request',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
      Unauthorized: {
        description: 'No valid session or credentials',
        headers: { 'WWW-Authenticate': { schema: { type: 'string' } } },
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
      Forbidden: {
        description: "The user's rules refuse the operation; nothing was touched",
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    },
  },
  paths: {
    '/api/login': {
      post: {
        operationId: 'login',
        summary:
          "Verify a password, reload the user's rules, return a signed session token (also set as a cookie)",
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/Login' } },
            'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/Login' } },
          },
        },
        responses: {
          '200': {
            description: 'Logged in',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Session' } } },
          },
          '400': error,
          '401': {
            description: 'Wrong user name or password',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
          '413': error,
          '503': error,
        },
      },
    },
    '/api/logout': {
      post: {
        operationId: 'logout',
        summary: 'Clear the session cookie',
        responses: { '204': { description: 'Cleared' } },
      },
    },
    '/api/me': {
      get: {
        operationId: 'me',
        security: secured,
        responses: {
          '200': {
            description: 'The caller',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Identity' } } },
          },
          '401': unauthorized,
        },
      },
    },
    '/files/{path}/': {
      get: {
        operationId: 'list',
        summary:
          'LIST: the entries of a directory the user may list (JSON, or HTML when the client accepts text/html); NLST with format=names: names and types only, no stat per entry',
        security: secured,
        parameters: [path, { name: 'format', in: 'query', schema: { enum: ['json', 'names'] } }],
        responses: {
          '200': {
            description: "The listing, filtered by the user's rules",
            content: {
              'application/json': {
                schema: {
                  oneOf: [{ $ref: '#/components/schemas/Listing' }, {
                    $ref: '#/components/schemas/NameListing',
                  }],
                },
              },
              'text/html': { schema: { type: 'string' } },
            },
          },
          '400': error,
          '401': unauthorized,
          '403': forbidden,
          '404': error,
          '409': error,
        },
      },
    },
    '/files/{path}': {
      get: {
        operationId: 'retrieve',
        summary:
          'RETR: stream a file; Range, If-Range, ETag and Last-Modified supported. A directory redirects to its listing.',
        security: secured,
        parameters: [path, { name: 'Range', in: 'header', schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'The file',
            content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
          },
          '206': {
            description: 'A range of the file',
            content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
          },
          '301': { description: 'A directory: its listing is at the path with a trailing slash' },
          '304': { description: 'Not modified (If-None-Match)' },
          '400': error,
          '401': unauthorized,
          '403': forbidden,
          '404': error,
          '416': error,
        },
      },
      put: {
        operationId: 'store',
        summary: 'STOR (APPE with ?append): stream the body to a temporary file, then rename it into place',
        security: secured,
        parameters: [path, { name: 'append', in: 'query', schema: { type: 'string' } }],
        requestBody: { required: true, content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
        responses: {
          '200': {
            description: 'Replaced',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Stored' } } },
          },
          '201': {
            description: 'Created',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Stored' } } },
          },
          '400': error,
          '401': unauthorized,
          '403': forbidden,
          '404': error,
          '408': error,
          '409': error,
          '413': error,
          '429': error,
          '507': error,
        },
      },
      delete: {
        operationId: 'delete',
        summary: 'DELE/RMD: remove a file or an empty directory',
        security: secured,
        parameters: [path],
        responses: {
          '204': { description: 'Removed' },
          '400': error,
          '401': unauthorized,
          '403': forbidden,
          '404': error,
          '409': error,
        },
      },
      'x-mkcol': {
        operationId: 'mkdir',
        summary: 'MKD: create a directory (WebDAV MKCOL)',
        security: secured,
        parameters: [path],
        responses: {
          '201': {
            description: 'Created',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Created' } } },
          },
          '400': error,
          '401': unauthorized,
          '403': forbidden,
          '404': error,
          '409': error,
        },
      },
      'x-move': {
        operationId: 'rename',
        summary:
          'RNFR/RNTO: rename (WebDAV MOVE with a Destination header under /files/). Needs rename on the source ' +
          'and write on the destination; a directory with rules below the source or the destination is refused.',
        security: secured,
        parameters: [path, { name: 'Destination', in: 'header', required: true, schema: { type: 'string' } }],
        responses: {
          '201': {
            description: 'Moved',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Moved' } } },
          },
          '400': error,
          '401': unauthorized,
          '403': forbidden,
          '404': error,
          '409': error,
          '502': error,
        },
      },
    },
    '/api/admin/cache': {
      get: {
        operationId: 'cache',
        summary:
          'The permission cache of the worker that answers: users newest first with their bytes, the last evictions',
        security: secured,
        responses: {
          '200': {
            description: 'The cache',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/CacheView' } } },
          },
          '401': unauthorized,
          '403': forbidden,
        },
      },
    },
    '/api/admin/cache/events': {
      get: {
        operationId: 'cacheEvents',
        summary: 'The same view as server-sent events (`event: cache`), sent whenever the cache changes',
        security: secured,
        responses: {
          '200': {
            description: 'An event stream',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          '401': unauthorized,
          '403': forbidden,
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'metrics',
        summary: 'Prometheus metrics (summed over cluster workers)',
        responses: {
          '200': {
            description: 'Prometheus text',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    '/healthz': {
      get: {
        operationId: 'healthz',
        responses: {
          '200': {
            description: 'The process answers',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    '/readyz': {
      get: {
        operationId: 'readyz',
        responses: {
          '200': {
            description: 'The store answers',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
          '503': {
            description: 'The store does not answer',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'openapi',
        responses: {
          '200': {
            description: 'This document',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      },
    },
  },
} as const;
