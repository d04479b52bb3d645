/**
 * The request and response classes the node server builds, so that each request and response is
 * born with its express app's prototype.
 *
 * express 5 re-parents every request and response it handles (`app.handle`:
 * `Object.setPrototypeOf(req, app.request)`, the same for `res`). Changing an object's prototype
 * after it is built is a slow path in V8, and its cost does not stay in that call: on the serving
 * bench the young-generation collections got ~4× longer and per-request objects were promoted to
 * the old generation (a bare express 5 app with a 22 KB JSON response: scavenges of 10–12 ms
 * against ~2 ms for plain node, the heap climbing from 8 to 23 MB between full collections).
 * Known upstream: https://github.com/expressjs/express/issues/5998.
 *
 * Node's server takes the classes it instantiates (`http.createServer({ IncomingMessage,
 * ServerResponse })`, https://nodejs.org/api/http.html#httpcreateserveroptions-requestlistener),
 * and V8's setPrototypeOf returns at once when the prototype asked for is the one the object
 * already has. So the server builds requests and responses whose prototype already is
 * `app.request` / `app.response`, and express's own call becomes a no-op; nothing else changes
 * (the objects are still IncomingMessage and ServerResponse instances, which socket.io sharing the
 * server relies on). Measured in README, Measured (serving).
 */
import { IncomingMessage, ServerResponse, type RequestListener } from 'node:http';

export interface MessageClasses {
  IncomingMessage?: typeof IncomingMessage;
  ServerResponse?: typeof ServerResponse;
  /**
   * Builds requests and responses with `listener`'s express prototypes from now on; a listener that
   * is not an express app (no `request` / `response` prototypes of node's classes) leaves node's own.
   */
  adopt(listener: RequestListener): void;
}

type Initializer = (this: unknown, ...args: unknown[]) => void;

/**
 * Node's two constructors are plain functions (node 20 and 22), so a subclass can run them on an
 * object it was built with: `new` on a function whose `prototype` is the app's. Not
 * `Reflect.construct(IncomingMessage, args, ApiRequest)`, which gives the same objects but cost
 * more than it saved (a bare express app: 385 µs a request against 238 with the call, 309 without
 * either). Should a later node make them classes, which cannot be called, node's own are used.
 */
const callable = (f: unknown): f is Initializer => typeof f === 'function' && !/^class\b/.test(Function.prototype.toString.call(f));

/** @example const classes = messageClasses(); const server = http.createServer({ ...classes }, app); classes.adopt(app); */
export function messageClasses(): MessageClasses {
  const request: unknown = IncomingMessage;
  const response: unknown = ServerResponse;
  if (!callable(request) || !callable(response)) return { adopt() {} };
  const initRequest: Initializer = request;
  const initResponse: Initializer = response;
  function ApiRequest(this: unknown, socket: unknown): void {
    initRequest.call(this, socket);
  }
  function ApiResponse(this: unknown, req: unknown, options: unknown): void {
    initResponse.call(this, req, options);
  }
  ApiRequest.prototype = IncomingMessage.prototype;
  ApiResponse.prototype = ServerResponse.prototype;
  return {
    IncomingMessage: ApiRequest as unknown as typeof IncomingMessage,
    ServerResponse: ApiResponse as unknown as typeof ServerResponse,
    adopt(listener) {
      const app = listener as unknown as { request?: unknown; response?: unknown };
      if (app.request instanceof IncomingMessage && app.response instanceof ServerResponse) {
        ApiRequest.prototype = app.request;
        ApiResponse.prototype = app.response;
      }
    },
  };
}
