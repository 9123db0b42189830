package dev.agbscript.engine;

import dev.agbscript.session.Backend;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.KernelLease;
import dev.agbscript.session.KernelSlots;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.Sandbox;
import dev.agbscript.session.ValueJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backend in memory for the engine's own logic (bindings, threading, close, timeouts), with no kernel. Its
 * sandboxes run a small line language that understands the Python prelude's calls as the engine writes them:
 * <pre>
 *   _agb_bind("json") _agb_get("x") _agb_unbind("x") _agb_names() _agb_functions() _agb_call("f", "[args]")
 *   _agb_namespaces()
 *   x = JSON          print(JSON)    fail Name: message            wait (until the time limit)
 *   del x             x              # comment  (a last line that is a name or JSON is the value)
 * </pre>
 * and the prelude's namespaces: code after a first line {@code # agb-namespace <id> <header>} runs in that
 * namespace, seeded from the header, reading through to the sandbox's variables; what it assigned and deleted
 * rides in its main result, or comes in a display of its own when it has none. A sandbox with {@code namespaces}
 * false ignores the marker, as a kernel without them would.
 * Functions are Java functions the test defines. Every request is recorded, and so is the most executions of
 * one sandbox that ever ran at once.
 *
 * <p>A language's "kernel" starts at the first execution of that language in a sandbox and stops at its restart
 * or the sandbox's close; the backend counts the kernels alive and starting, and the most ever at once. Made with
 * {@link #reportingKernels()}, it takes a slot of the manager's {@link KernelSlots} for each kernel, as a real
 * backend does; otherwise the manager counts for it.
 */
final class ScriptedBackend implements Backend {
    private static final Pattern PRELUDE = Pattern.compile("_agb_(\\w+)\\((.*)\\)");
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Za-z_]\\w*) = (.+)");
    private static final Pattern PRINT = Pattern.compile("print\\((.+)\\)");
    private static final Pattern FAIL = Pattern.compile("fail (\\w+): (.*)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_]\\w*");
    private static final Pattern DELETE = Pattern.compile("del ([A-Za-z_]\\w*)");
    private static final String MARK = "# agb-namespace ";

    final List<ScriptedSandbox> sandboxes = new CopyOnWriteArrayList<>();
    final Map<String, Function<List<Object>, Object>> functions = new ConcurrentHashMap<>();
    volatile boolean namespaces = true;
    /** Whether it runs sandboxes in a folder of the host's choice; each sandbox's folder is then recorded. */
    volatile boolean choosesFolders;
    final List<Path> workingFolders = new CopyOnWriteArrayList<>();

    final AtomicInteger kernelsAlive = new AtomicInteger();
    final AtomicInteger mostKernelsAlive = new AtomicInteger();
    final AtomicInteger kernelsStarting = new AtomicInteger();
    final AtomicInteger mostKernelsStarting = new AtomicInteger();
    /** What a kernel start does between taking its slot and answering (a test may make it block). */
    volatile KernelStart kernelStart = language -> {};
    private final boolean reportsKernels;
    private volatile KernelSlots slots = KernelSlots.UNLIMITED;

    /** A kernel's start, as the test wants it to be. */
    interface KernelStart {
        void run(Language language) throws InterruptedException;
    }

    ScriptedBackend() {
        this(false);
    }

    private ScriptedBackend(boolean reportsKernels) {
        this.reportsKernels = reportsKernels;
    }

    /** A backend that takes the manager's kernel slots itself, as the SPI asks. */
    static ScriptedBackend reportingKernels() {
        return new ScriptedBackend(true);
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public boolean useKernelSlots(KernelSlots managerSlots) {
        if (reportsKernels) {
            slots = managerSlots;
        }
        return reportsKernels;
    }

    /** The slots the manager gave (unlimited ones when it counts for this backend). */
    KernelSlots slots() {
        return slots;
    }

    /** Sandboxes not closed yet. */
    long openSandboxes() {
        return sandboxes.stream().filter(s -> !s.closed).count();
    }

    @Override
    public Sandbox createSandbox() {
        ScriptedSandbox sandbox = new ScriptedSandbox("scripted-" + sandboxes.size());
        sandboxes.add(sandbox);
        return sandbox;
    }

    @Override
    public boolean supportsWorkingFolder() {
        return choosesFolders;
    }

    @Override
    public Sandbox createSandbox(Path workingFolder) {
        if (!choosesFolders) {
            return Backend.super.createSandbox(workingFolder);
        }
        workingFolders.add(workingFolder);
        return createSandbox();
    }

    @Override
    public void close() {}

    final class ScriptedSandbox implements Sandbox {
        private final String id;
        final Map<String, Object> variables = new ConcurrentHashMap<>();
        final Map<String, Map<String, Object>> namespaces = new ConcurrentHashMap<>();
        final List<ExecutionRequest> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        private final Set<Language> started = ConcurrentHashMap.newKeySet();
        private final Map<Language, KernelLease> leases = new EnumMap<>(Language.class);
        volatile boolean closed;

        ScriptedSandbox(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        /** The user's requests, without the engine's housekeeping. */
        List<String> userCode() {
            return requests.stream().filter(r -> !r.silent()).map(ExecutionRequest::code).toList();
        }

        @Override
        public ExecutionResult execute(ExecutionRequest request, ExecutionListener listener)
                throws InterruptedException {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            requests.add(request);
            startKernel(request.language());
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                return run(request, listener);
            } finally {
                running.decrementAndGet();
            }
        }

        private ExecutionResult run(ExecutionRequest request, ExecutionListener listener) throws InterruptedException {
            ExecutionResult.Builder result = ExecutionResult.builder().listener(listener);
            String code = request.code();
            if (!ScriptedBackend.this.namespaces || !code.startsWith(MARK)) {
                lines(code, variables, result, request);
                return result.build();
            }
            int newline = code.indexOf('\n');
            String[] marker = (newline < 0 ? code : code.substring(0, newline)).substring(MARK.length()).split(" ", 2);
            Map<String, Object> header = ValueJson.parseMap(marker[1]);
            ((List<?>) header.get("drop")).forEach(namespaces::remove);
            Map<String, Object> scope = namespaces.computeIfAbsent(marker[0], id -> new ConcurrentHashMap<>());
            Map<String, String> seeded = new TreeMap<>();
            ((Map<?, ?>) header.get("seed")).forEach((name, value) -> {
                scope.put((String) name, value == null ? NULL : value);
                seeded.put((String) name, ValueJson.write(value));
            });
            ExecutionResult.Builder cell = ExecutionResult.builder();
            try {
                lines(newline < 0 ? "" : code.substring(newline + 1), scope, cell, request);
            } finally {
                StringBuilder assigned = new StringBuilder();
                new TreeMap<>(scope).forEach((name, value) -> {
                    String json = ValueJson.write(value == NULL ? null : value);
                    if (!json.equals(seeded.get(name))) {
                        assigned.append(assigned.length() == 0 ? "" : ",").append(ValueJson.write(name)).append(':')
                                .append(json);
                    }
                });
                List<String> deleted = seeded.keySet().stream().filter(name -> !scope.containsKey(name)).toList();
                String left = "{\"assigned\":{" + assigned + "},\"deleted\":" + ValueJson.write(deleted) + "}";
                ExecutionResult ran = cell.build();
                ran.logs().stdout().forEach(result::stdout);
                Optional<MimeBundle> main = ran.mainResult();
                if (main.isPresent()) {
                    Map<String, String> data = new java.util.LinkedHashMap<>(main.get().data());
                    data.put(MimeBundle.AGB_VALUE, main.get().valueJson());
                    data.put(MimeBundle.AGB_NAMESPACE, left);
                    result.result(new MimeBundle(data, true));
                } else {
                    result.result(new MimeBundle(Map.of(MimeBundle.AGB_NAMESPACE, left), false));
                }
                ran.error().ifPresent(result::error);
            }
            return result.build();
        }

        /** Runs the lines in a scope (the variables, or a namespace reading through to them). */
        private void lines(String code, Map<String, Object> scope, ExecutionResult.Builder result,
                ExecutionRequest request) throws InterruptedException {
            Object value = null;
            boolean hasValue = false;
            String[] lines = code.split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                hasValue = false;
                Matcher m;
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                } else if ((m = PRELUDE.matcher(line)).matches()) {
                    try {
                        value = prelude(m.group(1), m.group(2), scope);
                        hasValue = true;
                    } catch (NoSuchFunction e) {
                        result.error(new ExecutionError(ExecutionError.Kind.CODE, "NameError",
                                "agb-no-such-function: " + e.getMessage(), "", i + 1, -1));
                        return;
                    }
                } else if ((m = PRINT.matcher(line)).matches()) {
                    result.stdout(String.valueOf(ValueJson.parse(m.group(1))) + "\n");
                } else if ((m = FAIL.matcher(line)).matches()) {
                    result.error(new ExecutionError(ExecutionError.Kind.CODE, m.group(1), m.group(2), "", i + 1, -1));
                    return;
                } else if (line.equals("wait")) {
                    // As a kernel does: the run ends at its time limit, interrupted, and keeps its state.
                    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(request.timeout().toNanos()));
                    result.error(ExecutionError.timeout("Execution timed out after " + request.timeout().toMillis()
                            + " ms"));
                    return;
                } else if ((m = DELETE.matcher(line)).matches()) {
                    scope.remove(m.group(1));
                } else if ((m = ASSIGNMENT.matcher(line)).matches()) {
                    Object assigned = ValueJson.parse(m.group(2));
                    scope.put(m.group(1), assigned == null ? NULL : assigned);
                } else if (NAME.matcher(line).matches()) {
                    Object found = scope.containsKey(line) ? scope.get(line) : variables.get(line);
                    if (found == null) {
                        result.error(new ExecutionError(ExecutionError.Kind.CODE, "NameError",
                                "name '" + line + "' is not defined", "", i + 1, -1));
                        return;
                    }
                    value = found == NULL ? null : found;
                    hasValue = true;
                } else {
                    value = ValueJson.parse(line);
                    hasValue = true;
                }
            }
            if (hasValue) {
                result.result(new MimeBundle(Map.of(MimeBundle.TEXT, String.valueOf(value),
                        MimeBundle.AGB_VALUE, ValueJson.write(value)), true));
            }
        }

        private Object prelude(String function, String arguments, Map<String, Object> scope) {
            List<String> args = new ArrayList<>();
            for (Object parsed : ValueJson.parseList("[" + arguments + "]")) {
                args.add((String) parsed);
            }
            return switch (function) {
                case "bind" -> {
                    ValueJson.parseMap(args.get(0)).forEach((name, value) -> scope.put(name, value == null ? NULL : value));
                    yield null;
                }
                case "get" -> scope.containsKey(args.get(0))
                        ? new TreeMap<>(Map.of("found", true, "value", plain(scope.get(args.get(0)))))
                        : Map.of("found", false);
                case "unbind" -> {
                    scope.remove(args.get(0));
                    yield null;
                }
                case "names" -> new ArrayList<>(new TreeMap<>(scope).keySet());
                case "functions" -> new ArrayList<>(new TreeMap<>(functions).keySet());
                case "namespaces" -> new ArrayList<>(new TreeMap<>(namespaces).keySet());
                case "check" -> null;
                case "call" -> {
                    Function<List<Object>, Object> f = functions.get(args.get(0));
                    if (f == null) {
                        throw new NoSuchFunction(args.get(0));
                    }
                    yield f.apply(ValueJson.parseList(args.get(1)));
                }
                default -> throw new IllegalArgumentException("no prelude function " + function);
            };
        }

        @Override
        public boolean interrupt(Language language) {
            return false;
        }

        /** The session runs one execution per language at a time, so a language starts once. */
        private void startKernel(Language language) throws InterruptedException {
            if (started.contains(language)) {
                return;
            }
            KernelLease lease = slots.acquire(language);
            mostKernelsStarting.accumulateAndGet(kernelsStarting.incrementAndGet(), Math::max);
            try {
                kernelStart.run(language);
            } catch (InterruptedException | RuntimeException e) {
                lease.close();
                throw e;
            } finally {
                kernelsStarting.decrementAndGet();
            }
            lease.started();
            synchronized (this) {
                if (closed) {
                    lease.close();
                    throw new IllegalStateException("closed while its kernel started");
                }
                leases.put(language, lease);
                started.add(language);
            }
            mostKernelsAlive.accumulateAndGet(kernelsAlive.incrementAndGet(), Math::max);
        }

        private synchronized void stopKernel(Language language) {
            if (started.remove(language)) {
                kernelsAlive.decrementAndGet();
                leases.remove(language).close();
            }
        }

        @Override
        public void restart(Language language) {
            stopKernel(language);
        }

        @Override
        public Set<Language> runningLanguages() {
            Set<Language> running = EnumSet.noneOf(Language.class);
            running.addAll(started);
            return running;
        }

        @Override
        public synchronized void close() {
            closed = true;
            for (Language language : Language.values()) {
                stopKernel(language);
            }
        }
    }

    /** A variable whose value is null (ConcurrentHashMap holds no null values). */
    private static final Object NULL = new Object();

    private static Object plain(Object value) {
        return value == NULL ? null : value;
    }

    private static final class NoSuchFunction extends RuntimeException {
        NoSuchFunction(String name) {
            super(name);
        }
    }
}
