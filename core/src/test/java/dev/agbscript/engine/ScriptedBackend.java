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
 *   x = JSON          print(JSON)    fail Name: message            wait (until the time limit)
 *   x                 (a last line that is a name or JSON is the value)
 * </pre>
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

    final List<ScriptedSandbox> sandboxes = new CopyOnWriteArrayList<>();
    final Map<String, Function<List<Object>, Object>> functions = new ConcurrentHashMap<>();
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
            ExecutionResult.Builder result = ExecutionResult.builder();
            Object value = null;
            boolean hasValue = false;
            String[] lines = request.code().split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                hasValue = false;
                Matcher m;
                if (line.isEmpty()) {
                    continue;
                } else if ((m = PRELUDE.matcher(line)).matches()) {
                    try {
                        value = prelude(m.group(1), m.group(2));
                        hasValue = true;
                    } catch (NoSuchFunction e) {
                        return fail(result, listener, new ExecutionError(ExecutionError.Kind.CODE, "NameError",
                                "agb-no-such-function: " + e.getMessage(), "", i + 1, -1));
                    }
                } else if ((m = PRINT.matcher(line)).matches()) {
                    String text = String.valueOf(ValueJson.parse(m.group(1))) + "\n";
                    result.stdout(text);
                    listener.onStdout(text);
                } else if ((m = FAIL.matcher(line)).matches()) {
                    return fail(result, listener, new ExecutionError(ExecutionError.Kind.CODE, m.group(1),
                            m.group(2), "", i + 1, -1));
                } else if (line.equals("wait")) {
                    // As a kernel does: the run ends at its time limit, interrupted, and keeps its state.
                    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(request.timeout().toNanos()));
                    return fail(result, listener, ExecutionError.timeout("Execution timed out after "
                            + request.timeout().toMillis() + " ms"));
                } else if ((m = ASSIGNMENT.matcher(line)).matches()) {
                    variables.put(m.group(1), ValueJson.parse(m.group(2)));
                } else if (NAME.matcher(line).matches()) {
                    if (!variables.containsKey(line)) {
                        return fail(result, listener, new ExecutionError(ExecutionError.Kind.CODE, "NameError",
                                "name '" + line + "' is not defined", "", i + 1, -1));
                    }
                    value = variables.get(line);
                    hasValue = true;
                } else {
                    value = ValueJson.parse(line);
                    hasValue = true;
                }
            }
            if (hasValue) {
                MimeBundle bundle = new MimeBundle(Map.of(MimeBundle.TEXT, String.valueOf(value),
                        MimeBundle.AGB_VALUE, ValueJson.write(value)), true);
                result.result(bundle);
                listener.onResult(bundle);
            }
            return result.build();
        }

        private Object prelude(String function, String arguments) {
            List<String> args = new ArrayList<>();
            for (Object parsed : ValueJson.parseList("[" + arguments + "]")) {
                args.add((String) parsed);
            }
            return switch (function) {
                case "bind" -> {
                    variables.putAll(ValueJson.parseMap(args.get(0)));
                    yield null;
                }
                case "get" -> variables.containsKey(args.get(0))
                        ? new TreeMap<>(Map.of("found", true, "value", variables.get(args.get(0))))
                        : Map.of("found", false);
                case "unbind" -> {
                    variables.remove(args.get(0));
                    yield null;
                }
                case "names" -> new ArrayList<>(new TreeMap<>(variables).keySet());
                case "functions" -> new ArrayList<>(new TreeMap<>(functions).keySet());
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

        private ExecutionResult fail(ExecutionResult.Builder result, ExecutionListener listener, ExecutionError error) {
            result.error(error);
            listener.onError(error);
            return result.build();
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

    private static final class NoSuchFunction extends RuntimeException {
        NoSuchFunction(String name) {
            super(name);
        }
    }
}
