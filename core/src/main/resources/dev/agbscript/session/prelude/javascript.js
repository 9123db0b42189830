// agb-script prelude: run once in every new JavaScript kernel (tslab's jslab on Node.js), silently. The contract
// is in Prelude.java. tslab speaks the Jupyter protocol and offers a display API, but its executor type-checks
// JavaScript as TypeScript, prints the last value to stdout and reports errors as text. So this prelude gives
// its server a plain Node.js executor: V8's REPL mode through the inspector (let/const may be declared again,
// top-level await, the completion value as the main result), interruptible by SIGINT with state kept.
// The code is one string for an indirect eval: tslab runs this prelude through its TypeScript checker, which
// knows no Node.js types. (No backquote may appear in it.)
(0, eval)(String.raw`
(() => {
  const require = __tslab__.require; // tslab's require, which also knows "tslab"
  const vm = require("vm");
  const util = require("util");
  const inspector = require("inspector");
  const Module = require("module");
  const jupyterPath = Object.keys(require.cache).find((k) => k.endsWith("/tslab/dist/jupyter.js"));
  const publicPath = Object.keys(require.cache).find((k) => k.endsWith("/tslab/dist/public.js"));
  if (!jupyterPath || !require.cache[jupyterPath].exports.ZmqServer) {
    throw new Error("agb prelude: this tslab version is not supported (dist/jupyter.js has no ZmqServer)");
  }
  const jupyter = require.cache[jupyterPath].exports;
  const tslab = publicPath ? require.cache[publicPath].exports : require("tslab");
  const AGB_VALUE = "application/vnd.agb.value+json";
  const hiddenOn = (target, name, value) =>
    Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
  const hidden = (name, value) => hiddenOn(globalThis, name, value);

  // --- Values to JSON (NaN and infinities as tokens, BigInt exact) -----------------------------------
  class Unrepresentable extends Error {}
  function toJson(v, depth = 0) {
    if (depth > 100) throw new Unrepresentable();
    if (v === null || v === undefined) return "null";
    switch (typeof v) {
      case "boolean":
        return String(v);
      case "number":
        return Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : JSON.stringify(v);
      case "bigint":
        return v.toString();
      case "string":
        return JSON.stringify(v);
      case "object":
        break;
      default:
        throw new Unrepresentable();
    }
    if (Array.isArray(v)) return "[" + Array.prototype.map.call(v, (e) => toJson(e, depth + 1)).join(",") + "]";
    // util.types and the prototype's shape rather than instanceof: values made in a namespace (another
    // context) have that context's Map and Object.prototype.
    const entries = util.types.isMap(v) ? [...Map.prototype.entries.call(v)] : null;
    if (entries && entries.every(([k]) => typeof k === "string")) {
      return "{" + entries.map(([k, e]) => JSON.stringify(k) + ":" + toJson(e, depth + 1)).join(",") + "}";
    }
    if (!isPlainObject(v)) throw new Unrepresentable();
    return "{" + Object.keys(v).map((k) => JSON.stringify(k) + ":" + toJson(v[k], depth + 1)).join(",") + "}";
  }
  /** An object whose prototype is null or the Object.prototype of some context. */
  function isPlainObject(v) {
    const proto = Object.getPrototypeOf(v);
    if (proto === null || proto === Object.prototype) return true;
    if (Object.getPrototypeOf(proto) !== null) return false;
    const constructor = Object.getOwnPropertyDescriptor(proto, "constructor");
    return !!constructor && typeof constructor.value === "function" && constructor.value.name === "Object"
      && constructor.value.prototype === proto;
  }
  const valueJson = (v) => {
    try {
      return toJson(v);
    } catch (e) {
      if (e instanceof Unrepresentable || e instanceof RangeError) return null;
      throw e;
    }
  };

  // --- JSON to values: integers beyond 2^53 become BigInt; NaN, Infinity, -Infinity are read -----------
  function fromJson(s) {
    let i = 0;
    const fail = () => {
      throw new SyntaxError("agb: bad JSON at " + i);
    };
    const ws = () => {
      while (i < s.length && " \t\r\n".includes(s[i])) i++;
    };
    function value() {
      ws();
      const c = s[i];
      if (c === "{") {
        const o = {};
        i++;
        ws();
        if (s[i] === "}") return i++, o;
        for (;;) {
          ws();
          const k = string();
          ws();
          if (s[i++] !== ":") fail();
          o[k] = value();
          ws();
          if (s[i] === ",") i++;
          else if (s[i++] === "}") return o;
          else fail();
        }
      }
      if (c === "[") {
        const a = [];
        i++;
        ws();
        if (s[i] === "]") return i++, a;
        for (;;) {
          a.push(value());
          ws();
          if (s[i] === ",") i++;
          else if (s[i++] === "]") return a;
          else fail();
        }
      }
      if (c === '"') return string();
      for (const [word, v] of [["null", null], ["true", true], ["false", false], ["NaN", NaN],
                               ["Infinity", Infinity], ["-Infinity", -Infinity]]) {
        if (s.startsWith(word, i)) return (i += word.length), v;
      }
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(i, i + 400));
      if (!m) fail();
      i += m[0].length;
      if (m[1] || m[2]) return Number(m[0]);
      const n = Number(m[0]);
      return Number.isSafeInteger(n) ? n : BigInt(m[0]);
    }
    function string() {
      if (s[i] !== '"') fail();
      const start = i++;
      while (s[i] !== '"') {
        if (i >= s.length) fail();
        i += s[i] === "\\" ? 2 : 1;
      }
      return JSON.parse(s.slice(start, ++i));
    }
    const v = value();
    ws();
    if (i !== s.length) fail();
    return v;
  }

  // --- Evaluation: V8's REPL mode, in a vm call with breakOnSigint so that SIGINT stops a busy loop ----
  const session = new inspector.Session();
  session.connect();
  // A session in the kernel's own thread answers at once, in the call.
  const post = (method, params) => {
    let error = null;
    let response;
    session.post(method, params, (e, r) => ((error = e), (response = r)));
    if (error) throw error;
    return response;
  };

  function evaluate(code, scriptName, contextId) {
    return new Promise((resolve) => {
      const onSigint = () => resolve({ interrupted: true });
      process.on("SIGINT", onSigint); // an awaited promise: the event loop is free to hear the signal
      const done = (outcome) => {
        process.off("SIGINT", onSigint);
        resolve(outcome);
      };
      hidden("__agb_post", () =>
        session.post("Runtime.evaluate",
          { expression: code + "\n//# sourceURL=" + scriptName, replMode: true, awaitPromise: true, objectGroup: "agb",
            contextId },
          (error, response) => done(error ? { failure: error } : response)));
      try {
        vm.runInThisContext("__agb_post()", { breakOnSigint: true });
      } catch (e) {
        done({ interrupted: true });
      }
    });
  }

  /** The evaluated value itself, from the inspector's description of it. */
  function valueOf(remote) {
    if (remote.type === "undefined") return { none: true };
    if ("unserializableValue" in remote) {
      const u = remote.unserializableValue;
      return { value: u.endsWith("n") ? BigInt(u.slice(0, -1)) : Number(u) };
    }
    if (!remote.objectId) return { value: remote.value };
    let captured;
    // the function is compiled in the value's own context: the active namespace's, or the main one
    hiddenOn(active ? active.sandbox : globalThis, "__agb_capture", (v) => (captured = v));
    post("Runtime.callFunctionOn",
      { objectId: remote.objectId, functionDeclaration: "function () { 'use strict'; __agb_capture(this); }" });
    return { value: captured };
  }

  /**
   * Where a value that is no Error was thrown: it has no stack, and V8's REPL mode reports the place where the
   * rejection surfaced, not the throw. The cell's throw statement is the place when the cell has exactly one
   * (found with the TypeScript parser tslab brings, loaded only now); otherwise it is unknown.
   */
  function throwSite(code) {
    let ts;
    try {
      ts = Module.createRequire(jupyterPath)("@tslab/typescript-for-tslab"); // beside tslab, not the user's folder
    } catch (e) {
      return null;
    }
    const source = ts.createSourceFile("cell.js", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    const sites = [];
    const visit = (node) => {
      if (node.kind === ts.SyntaxKind.ThrowStatement) sites.push(node);
      ts.forEachChild(node, visit);
    };
    visit(source);
    if (sites.length !== 1) return null;
    const at = source.getLineAndCharacterOfPosition(sites[0].getStart(source));
    return { line: at.line + 1, column: at.character + 1 };
  }

  /** An error in Jupyter's form, with frames of the machinery above the user's code left out. */
  function errorContent(details, code, scriptName) {
    const exception = details.exception || {};
    const isError = exception.subtype === "error";
    const description = isError ? exception.description || "" : util.inspect(exception.value ?? exception.description);
    const lines = description.split("\n");
    const frameStart = lines.findIndex((l) => /^\s+at /.test(l));
    const header = frameStart < 0 ? lines : lines.slice(0, frameStart);
    const frames = frameStart < 0 ? [] : lines.slice(frameStart);
    const machinery = frames.findIndex((l) => /node:inspector|__agb_post|evalmachine\.<anonymous>/.test(l));
    const userFrames = machinery < 0 ? frames : frames.slice(0, machinery);
    const ename = isError ? exception.className || "Error" : "Uncaught";
    const first = header.join("\n");
    const evalue = isError && first.startsWith(ename + ": ") ? first.slice(ename.length + 2) : isError ? first : description;
    const compileError = isError && ename === "SyntaxError" && !userFrames.some((l) => l.includes(scriptName + ":"));
    let traceback;
    if (compileError) {
      const codeLines = code.split("\n");
      let line = (details.lineNumber || 0) + 1;
      let column = details.columnNumber || 0;
      if (line > codeLines.length) {
        // past the end of the code (the sourceURL line): the input ended too early
        line = codeLines.length;
        column = codeLines[line - 1].length;
      }
      const source = codeLines[line - 1];
      traceback = [scriptName + ":" + line + ":" + (column + 1), source, " ".repeat(column) + "^", "", ename + ": " + evalue];
    } else {
      const site = isError || userFrames.length > 0 ? null : throwSite(code);
      const where = site ? ["    at " + scriptName + ":" + site.line + ":" + site.column] : [];
      traceback = [ename + (evalue ? ": " + evalue : ""), ...userFrames, ...where];
    }
    return { ename, evalue, traceback };
  }

  // --- Sending: tslab calls zeromq's send() without waiting for it, and zeromq 6 refuses a send while another
  // one on the same socket is in progress, so now and then a message (often a status: idle) was lost. Sends
  // are queued per socket instead.
  const queues = new WeakMap();
  function queuedSends(messagePrototype) {
    if (messagePrototype.agbQueued) return;
    const signAndSend = messagePrototype.signAndSend;
    messagePrototype.signAndSend = function (key, sock) {
      signAndSend.call(this, key, {
        send: (frames) => {
          const next = (queues.get(sock) || Promise.resolve())
            .then(() => sock.send(frames))
            .catch((e) => process._rawDebug("agb: a kernel message was not sent: " + e));
          queues.set(sock, next);
        },
      });
    };
    messagePrototype.agbQueued = true;
  }

  // --- Namespaces: a cell whose first line is "// agb-namespace <id> <header-json>" runs in a context of its own
  // (the engine's per-Bindings scope). Prelude.java has the protocol. A namespace is a vm context, evaluated in
  // by its inspector id with REPL mode like the main one. Its builtins are its own (Array, Object, ...: values
  // made there are of its realm); the main context's other globals (require, display, process, timers, the
  // user's var and function declarations) are accessors, so a namespace sees the shared state and an assignment
  // shadows it there only. The shared scope's let, const and class declarations are not globals: not seen.
  const NAMESPACE_MARK = "// agb-namespace ";
  const AGB_NAMESPACE = "application/vnd.agb.namespace+json";
  const REALM = new Set(vm.runInNewContext("Object.getOwnPropertyNames(globalThis)"));
  const SHARED_FROM_REALM = new Set(["console"]); // a context's own console writes to the inspector only
  const namespaces = new Map();
  const sharedGetters = new WeakSet();
  let active = null;
  let announced = null;
  session.on("Runtime.executionContextCreated", (event) => {
    if (announced && event.params.context.name === announced.name) announced.id = event.params.context.id;
  });

  let spare = null; // a context made while the kernel was idle, for the next new namespace
  let contexts = 0;

  function createNamespace(id) {
    const namespace = spare || newContext();
    spare = null;
    namespace.id = id;
    namespaces.set(id, namespace);
    return namespace;
  }

  /** Makes a spare context after a cell that used namespaces, off the next cell's way (a context takes ms). */
  function prepareSpare() {
    if (spare === null && namespaces.size > 0) {
      setImmediate(() => {
        if (spare === null) spare = newContext();
      });
    }
  }

  function newContext() {
    const sandbox = {};
    announced = { name: "agb-ns-" + ++contexts, id: null };
    // Runtime is on only while the context is made: on, it would also report every console call
    post("Runtime.enable", {});
    try {
      vm.createContext(sandbox, { name: announced.name });
    } finally {
      post("Runtime.disable", {});
    }
    if (announced.id === null) throw new Error("agb prelude: the inspector did not announce " + announced.name);
    const namespace = { id: null, sandbox, contextId: announced.id, global: vm.runInContext("globalThis", sandbox),
                        seeded: new Map() };
    announced = null;
    hiddenOn(sandbox, "global", namespace.global);
    return namespace;
  }

  /** The main context's globals that are not builtins of every context become accessors of the namespace. */
  function share(namespace) {
    const sandbox = namespace.sandbox;
    for (const name of Object.getOwnPropertyNames(globalThis)) {
      if ((REALM.has(name) && !SHARED_FROM_REALM.has(name)) || name === "global") continue;
      if (Object.prototype.hasOwnProperty.call(sandbox, name)) continue; // the namespace's own, or shared already
      const get = () => globalThis[name];
      sharedGetters.add(get);
      Object.defineProperty(sandbox, name, {
        get,
        set: (value) =>
          Object.defineProperty(sandbox, name, { value, writable: true, enumerable: true, configurable: true }),
        configurable: true,
        enumerable: false,
      });
    }
    for (const name of Object.getOwnPropertyNames(sandbox)) {
      const own = Object.getOwnPropertyDescriptor(sandbox, name);
      if (own && sharedGetters.has(own.get) && !Object.prototype.hasOwnProperty.call(globalThis, name)) {
        delete sandbox[name]; // gone from the shared scope
      }
    }
  }

  /** A value parsed in the main context, rebuilt with the namespace's Array and Object. */
  function intoRealm(v, g) {
    if (Array.isArray(v)) {
      const a = new g.Array();
      for (const e of v) a.push(intoRealm(e, g));
      return a;
    }
    if (v !== null && typeof v === "object") {
      const o = new g.Object();
      for (const k of Object.keys(v)) {
        Object.defineProperty(o, k, { value: intoRealm(v[k], g), writable: true, enumerable: true, configurable: true });
      }
      return o;
    }
    return v;
  }

  const lexicalNames = (namespace) =>
    [...new Set(post("Runtime.globalLexicalScopeNames", { executionContextId: namespace.contextId }).names)];

  function seed(namespace, values) {
    const lexical = new Set(lexicalNames(namespace));
    namespace.seeded = new Map();
    for (const [name, parsed] of Object.entries(values)) {
      const value = intoRealm(parsed, namespace.global);
      if (lexical.has(name)) {
        hiddenOn(namespace.sandbox, "__agb_bound", value);
        try {
          vm.runInContext(name + " = __agb_bound", namespace.sandbox); // a let of the namespace keeps its binding
        } catch (e) {
          continue; // a const keeps its value
        }
      } else {
        Object.defineProperty(namespace.sandbox, name, { value, writable: true, enumerable: true, configurable: true });
      }
      namespace.seeded.set(name, valueJson(value));
    }
  }

  /** The namespace's variables: enumerable own properties of its global and its let and const names. */
  function namespaceNames(namespace) {
    return [...new Set([...Object.keys(namespace.sandbox), ...lexicalNames(namespace)])]
      .filter((n) => !n.startsWith("_") && !REALM.has(n));
  }

  /** What the engine writes back: values with a JSON form that changed since the seed, and seeded names deleted. */
  function snapshot(namespace) {
    const assigned = [];
    const present = new Set();
    for (const name of namespaceNames(namespace)) {
      present.add(name);
      let value;
      try {
        value = vm.runInContext(name, namespace.sandbox);
      } catch (e) {
        continue; // a let not yet initialized
      }
      if (typeof value === "function") continue;
      const json = valueJson(value);
      if (json !== null && json !== namespace.seeded.get(name)) assigned.push(JSON.stringify(name) + ":" + json);
    }
    const deleted = [...namespace.seeded.keys()].filter((n) => !present.has(n));
    return '{"assigned":{' + assigned.join(",") + '},"deleted":' + JSON.stringify(deleted) + "}";
  }

  /** The cell's namespace, made ready: the marker line read and removed, dropped namespaces forgotten. */
  function enterNamespace(code) {
    const newline = code.indexOf("\n");
    const marker = newline < 0 ? code : code.slice(0, newline);
    const rest = marker.slice(NAMESPACE_MARK.length);
    const space = rest.indexOf(" ");
    const id = space < 0 ? rest : rest.slice(0, space);
    const header = space < 0 ? {} : fromJson(rest.slice(space + 1));
    for (const gone of header.drop || []) namespaces.delete(gone);
    const namespace = namespaces.get(id) || createNamespace(id);
    share(namespace);
    seed(namespace, header.seed || {});
    active = namespace;
    return { namespace, code: newline < 0 ? "" : code.slice(newline + 1) };
  }

  // --- The server's execute handler, replaced ---------------------------------------------------------
  let executionCount = 0;
  let silentCount = 0;
  const decoder = new util.TextDecoder();
  jupyter.ZmqServer.prototype.handleExecute = async function (sock, msg) {
    const server = this;
    queuedSends(Object.getPrototypeOf(msg));
    const send = (type, content, socket = server.iopub) => {
      const reply = msg.createReply();
      reply.header.msg_type = type;
      reply.content = content;
      reply.signAndSend(server.connInfo.key, socket);
    };
    const silent = !!msg.content.silent;
    running = { server, msg };
    const count = silent ? executionCount : ++executionCount;
    const scriptName = silent ? "agb-silent-" + ++silentCount : "agb-cell-" + count;
    // Output after the cell ended still goes to the last cell, as in IPython.
    for (const name of ["stdout", "stderr"]) {
      process[name].write = (chunk, encoding, callback) => {
        const text = typeof chunk === "string" ? chunk : decoder.decode(chunk);
        if (text) send("stream", { name, text });
        if (typeof encoding === "function") encoding();
        else if (typeof callback === "function") callback();
        return true;
      };
    }
    jupyter.lastWriteDisplayData = (data, update) => send(update ? "update_display_data" : "display_data", data);
    let error = null;
    let code = msg.content.code;
    let namespace = null;
    let reported = false;
    try {
      if (code.startsWith(NAMESPACE_MARK)) ({ namespace, code } = enterNamespace(code));
      const outcome = await evaluate(code, scriptName, namespace ? namespace.contextId : undefined);
      if (outcome.interrupted) {
        error = { ename: "Interrupted", evalue: "Script execution was interrupted", traceback: [] };
      } else if (outcome.failure) {
        error = { ename: "Error", evalue: String(outcome.failure.message || outcome.failure), traceback: [] };
      } else if (outcome.exceptionDetails) {
        error = errorContent(outcome.exceptionDetails, code, scriptName);
      } else if (!silent) {
        const result = valueOf(outcome.result);
        if (!result.none) {
          const data = { "text/plain": util.inspect(result.value) };
          const json = valueJson(result.value);
          if (json !== null) data[AGB_VALUE] = json;
          if (namespace) {
            data[AGB_NAMESPACE] = snapshot(namespace); // the cell is over: what it left rides along, no message more
            reported = true;
          }
          send("execute_result", { data, metadata: {}, execution_count: count });
        }
      }
    } catch (e) {
      error = { ename: "Error", evalue: "agb prelude: " + (e && e.message), traceback: [] };
    } finally {
      session.post("Runtime.releaseObjectGroup", { objectGroup: "agb" });
      if (namespace && !reported) {
        try {
          send("display_data", { data: { [AGB_NAMESPACE]: snapshot(namespace) }, metadata: {} });
        } catch (e) {
          error = error || { ename: "Error", evalue: "agb prelude: " + (e && e.message), traceback: [] };
        }
      }
      active = null;
    }
    if (namespace) prepareSpare();
    if (error) {
      send("error", { ...error, execution_count: count });
      send("execute_reply", { status: "error", execution_count: count, ...error }, sock);
    } else {
      send("execute_reply", { status: "ok", execution_count: count, payload: [], user_expressions: {} }, sock);
    }
  };

  // --- input(): a line from the client, asked on the stdin channel as ipykernel does (the execute request as
  // parent). tslab binds stdin but never uses it. The code awaits it: "const name = await input('Name? ')".
  // A client that does not allow stdin gets a StdinNotImplementedError at once, as from ipykernel. ----------
  let running = null;
  let stdinReader = null;
  let waiting = null; // { id, resolve }
  class StdinNotImplementedError extends Error {}
  Object.defineProperty(StdinNotImplementedError.prototype, "name", { value: "StdinNotImplementedError" });
  function readStdin(server, Message) {
    if (stdinReader) return;
    stdinReader = (async () => {
      for await (const frames of server.stdin) {
        let reply;
        try {
          reply = Message.fromRaw(server.connInfo.key, frames);
        } catch (e) {
          continue;
        }
        // a reply to an interrupted request answers nothing
        if (reply.header.msg_type !== "input_reply" || !waiting || reply.parent.msg_id !== waiting.id) continue;
        const { resolve } = waiting;
        waiting = null;
        const value = reply.content.value;
        resolve(value === "\u0004" ? null : String(value ?? ""));
      }
    })();
  }
  hidden("input", (prompt = "", options = {}) => {
    if (!running) throw new StdinNotImplementedError("input() was called outside of a cell");
    const { server, msg } = running;
    if (!msg.content.allow_stdin) {
      return Promise.reject(new StdinNotImplementedError(
        "input() was called, but this frontend does not support input requests."));
    }
    readStdin(server, Object.getPrototypeOf(msg).constructor);
    const request = msg.createReply();
    request.header.msg_type = "input_request";
    request.content = { prompt: String(prompt), password: !!options.password };
    return new Promise((resolve) => {
      waiting = { id: request.header.msg_id, resolve };
      request.signAndSend(server.connInfo.key, server.stdin);
    });
  });

  // --- Help for a name (inspect_request): tslab's TypeScript knows the built-ins and their documentation but
  // none of the session's own names (its checker never sees the code), for which it says "any"; those are
  // described from their live values instead. --------------------------------------------------------------
  function describe(code, cursor) {
    const name = /[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*$/.exec(code.slice(0, cursor)
      + (/^[\w$]*/.exec(code.slice(cursor))[0]));
    if (!name) return null;
    const answer = post("Runtime.evaluate",
      { expression: name[0], throwOnSideEffect: true, timeout: 500, silent: true, objectGroup: "agb-complete" });
    const found = answer.exceptionDetails ? { none: true } : valueOf(answer.result);
    if (found.none) return null;
    const value = found.value;
    if (typeof value === "function") {
      const source = Function.prototype.toString.call(value);
      if (source.includes("[native code]")) return null;
      const head = source.slice(0, source.indexOf("{") < 0 ? source.length : source.indexOf("{")).trim();
      return head.startsWith("class") ? head : head.replace(/^async\s+/, "async ").replace(/\s+/g, " ");
    }
    return typeName(value) + ": " + util.inspect(value, { depth: 1, breakLength: 100 }).slice(0, 2000);
  }
  jupyter.ZmqServer.prototype.handleInspect = function (sock, msg) {
    queuedSends(Object.getPrototypeOf(msg));
    let content = null;
    try {
      const live = describe(msg.content.code, msg.content.cursor_pos);
      if (live) content = { status: "ok", found: true, data: { "text/plain": live }, metadata: {} };
    } catch (e) {
      // nothing live to describe
    } finally {
      session.post("Runtime.releaseObjectGroup", { objectGroup: "agb-complete" });
    }
    if (!content) {
      content = this.handler.handleInspect(msg.content);
      const text = content.data && content.data["text/plain"];
      // what TypeScript says of a name it does not know
      if (!text || /^(\(\w+\) )?[\w$.]*:? ?any$|^any$/.test(text.trim())) {
        content = { status: "ok", found: false, data: {}, metadata: {} };
      }
    }
    const reply = msg.createReply();
    reply.header.msg_type = "inspect_reply";
    reply.content = content;
    reply.signAndSend(this.connInfo.key, sock);
  };

  // --- Completion from the session's live state. tslab's completer only knows code its TypeScript checker
  // saw, which the executor above never shows it: it offered built-ins, none of the user's names. -----------
  const KEYWORDS = ["await", "break", "case", "catch", "class", "const", "continue", "debugger", "default",
    "delete", "do", "else", "export", "extends", "false", "finally", "for", "function", "if", "import", "in",
    "instanceof", "let", "new", "null", "return", "static", "super", "switch", "this", "throw", "true", "try",
    "typeof", "undefined", "var", "void", "while", "with", "yield"];
  const isMachinery = (name) => /^(__agb|_agb_|__tslab)/.test(name);
  function propertyNames(value) {
    const names = new Set();
    for (let o = Object(value); o !== null; o = Object.getPrototypeOf(o)) {
      for (const name of Object.getOwnPropertyNames(o)) names.add(name);
    }
    return names;
  }
  /** The names that may follow the code before the cursor: a global, or a property after "a.b.". */
  function complete(code, cursor) {
    const before = code.slice(0, cursor);
    const member = /([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)\s*\.\s*([\w$]*)$/.exec(before);
    const word = member ? member[2] : /[\w$]*$/.exec(before)[0];
    let names = new Set();
    if (member) {
      // evaluated by V8 only when that has no side effects (a getter that changes something is not run)
      const answer = post("Runtime.evaluate",
        { expression: member[1], throwOnSideEffect: true, timeout: 500, silent: true, objectGroup: "agb-complete" });
      const found = answer.exceptionDetails ? { none: true } : valueOf(answer.result);
      if (!found.none && found.value !== null) names = propertyNames(found.value);
    } else {
      names = new Set([...Object.getOwnPropertyNames(globalThis),
        ...post("Runtime.globalLexicalScopeNames", {}).names, ...KEYWORDS]);
    }
    const matches = [...names].filter((n) => n.startsWith(word) && !isMachinery(n)
      && (word.startsWith("_") || !n.startsWith("_"))).sort();
    return { matches, cursor_start: cursor - word.length, cursor_end: cursor };
  }
  jupyter.ZmqServer.prototype.handleComplete = function (sock, msg) {
    queuedSends(Object.getPrototypeOf(msg));
    const cursor = msg.content.cursor_pos;
    let found = { matches: [], cursor_start: cursor, cursor_end: cursor };
    try {
      found = complete(msg.content.code, cursor);
    } catch (e) {
      // nothing to offer
    } finally {
      session.post("Runtime.releaseObjectGroup", { objectGroup: "agb-complete" });
    }
    const reply = msg.createReply();
    reply.header.msg_type = "complete_reply";
    reply.content = { ...found, metadata: {}, status: "ok" };
    reply.signAndSend(this.connInfo.key, sock);
  };

  // --- What user code sees: require (from the working directory, plus 'tslab'), display -----------------
  const localRequire = Module.createRequire(process.cwd() + "/");
  hidden("require", Object.assign((id) => (id === "tslab" ? tslab : localRequire(id)), localRequire));
  const display = tslab.display;
  display.json = (v) => display.raw("application/json", JSON.stringify(v));
  display.vegalite = (spec) => display.raw("application/vnd.vegalite.v5+json", JSON.stringify(spec));
  hidden("display", display);

  // --- The prelude functions -------------------------------------------------------------------------
  // In a namespace's cell (an invokeFunction there), they work on the namespace.
  const BUILTINS = new Set(Object.getOwnPropertyNames(globalThis));
  function userNames() {
    if (active) return namespaceNames(active);
    const lexical = (post("Runtime.globalLexicalScopeNames", {})).names;
    return [...new Set([...Object.keys(globalThis), ...lexical])]
      .filter((n) => !n.startsWith("_") && !BUILTINS.has(n));
  }
  const lookup = (name) => (active ? vm.runInContext(name, active.sandbox) : vm.runInThisContext(name));
  function bindValue(name, value) {
    hidden("__agb_bound", value);
    try {
      vm.runInThisContext(name + " = __agb_bound"); // a let of the user's keeps its binding
    } catch (e) {
      globalThis[name] = value;
    }
  }
  hidden("_agb_bind", (json) => {
    for (const [name, value] of Object.entries(fromJson(json))) bindValue(name, value);
  });
  const typeName = (v) => v === null ? "null"
    : typeof v !== "object" && typeof v !== "function" ? typeof v
    : (Object.getPrototypeOf(v) && Object.getPrototypeOf(v).constructor && Object.getPrototypeOf(v).constructor.name)
      || "Object";
  hidden("_agb_get", (name) => {
    if (!(userNames()).includes(name)) return { found: false };
    const value = lookup(name);
    const type = typeName(value);
    return valueJson(value) === null ? { found: true, type, text: util.inspect(value) } : { found: true, type, value };
  });
  // A let or const cannot be deleted: it becomes undefined (docs/kernels.md).
  hidden("_agb_unbind", (name) => {
    if (!userNames().includes(name)) return;
    const scope = active ? active.sandbox : globalThis;
    if (Object.prototype.hasOwnProperty.call(scope, name)) {
      delete scope[name];
    } else {
      try {
        active ? vm.runInContext(name + " = undefined", active.sandbox) : vm.runInThisContext(name + " = undefined");
      } catch (e) {
        // a const keeps its value
      }
    }
  });
  // Compiles without running. Top-level await is V8's REPL mode, which a plain compile does not know, so code
  // that only compiles inside an async function is checked there, one line lower.
  hidden("_agb_check", (code) => {
    const compile = (source, shift) => {
      try {
        new vm.Script(source, { filename: "agb-check" });
        return null;
      } catch (e) {
        // Node's report: "agb-check:LINE", the source line, a caret under the column, then "Name: message".
        const report = String(e.stack || "").split("\n");
        const line = /^agb-check:(\d+)/.exec(report[0] || "");
        const caret = (report[2] || "").indexOf("^");
        return { name: e.name || "SyntaxError", message: e.message || String(e),
                 line: line ? Number(line[1]) - shift : -1, column: caret >= 0 ? caret + 1 : -1 };
      }
    };
    const plain = compile(code, 0);
    if (plain === null || !/\bawait\b/.test(code)) return plain;
    return compile("(async () => {\n" + code + "\n})", 1);
  });
  hidden("_agb_bind_table", (name, json) => bindValue(name, fromJson(json).records));
  hidden("_agb_names", () => {
    const names = userNames();
    return names.filter((n) => typeof lookup(n) !== "function").sort();
  });
  hidden("_agb_functions", () => {
    // a namespace sees its own functions and the shared scope's
    const names = new Set(userNames().filter((n) => typeof lookup(n) === "function"));
    if (active) {
      const inNamespace = active;
      active = null;
      try {
        userNames().filter((n) => typeof lookup(n) === "function").forEach((n) => names.add(n));
      } finally {
        active = inNamespace;
      }
    }
    return [...names].sort();
  });
  hidden("_agb_namespaces", () => [...namespaces.keys()].sort());
  hidden("_agb_call", (name, jsonArgs) => {
    let f;
    try {
      f = lookup(name);
    } catch (e) {
      f = undefined;
    }
    if (typeof f !== "function" || name.startsWith("_")) throw new ReferenceError("agb-no-such-function: " + name);
    const args = fromJson(jsonArgs);
    return f(...(active ? intoRealm(args, active.global) : args));
  });
})();
`);
