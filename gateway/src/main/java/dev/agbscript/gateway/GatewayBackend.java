package dev.agbscript.gateway;

import com.google.gson.JsonObject;
import dev.agbscript.jupyter.ErrorParser;
import dev.agbscript.session.Backend;
import dev.agbscript.session.KernelSlots;
import dev.agbscript.session.Language;
import dev.agbscript.session.Sandbox;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Sessions whose kernels run on a Jupyter Server, Kernel Gateway or Enterprise Gateway, through its HTTP and
 * WebSocket kernel API, with the Jupyter client the local backend uses; only the transport differs.
 *
 * <p>It takes the manager's kernel slots ({@link #useKernelSlots}): it knows when each kernel starts (the request
 * until the prelude ran) and ends (its deletion, or its death noticed), so queued starts and the start times in the
 * stats are exact. The cap {@code agb.kernels.max} then limits this process's kernels on the gateway; its default
 * comes from this machine's memory, which remote kernels do not use, so a host sets it to its share of the cluster.
 */
public final class GatewayBackend implements Backend {
    private static final Logger LOG = Logger.getLogger(GatewayBackend.class.getName());

    private final GatewayApi api;
    private final ScheduledExecutorService timer;
    private final ExecutorService httpThreads;
    private final Set<String> liveKernels = ConcurrentHashMap.newKeySet();
    private volatile KernelSlots slots = KernelSlots.UNLIMITED;
    private volatile JsonObject specs;

    public GatewayBackend(GatewayConfig config) {
        this.httpThreads = Executors.newCachedThreadPool(daemon("agb-gateway-http"));
        HttpClient http = HttpClient.newBuilder().executor(httpThreads)
                .connectTimeout(config.requestTimeout().compareTo(Duration.ofSeconds(10)) < 0
                        ? config.requestTimeout() : Duration.ofSeconds(10))
                .build();
        this.api = new GatewayApi(config, http);
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemon("agb-gateway-timer"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.timer = scheduler;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public Sandbox createSandbox() {
        return new GatewaySandbox("gateway-" + UUID.randomUUID().toString().substring(0, 8), this);
    }

    @Override
    public boolean useKernelSlots(KernelSlots offered) {
        this.slots = offered;
        return true;
    }

    GatewayApi api() {
        return api;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    KernelSlots slots() {
        return slots;
    }

    /**
     * The kernelspec that runs the language, as configured, once the gateway has confirmed it has one of that name.
     *
     * @throws GatewayException naming the kernelspecs the gateway has and how to add or name one
     */
    String kernelSpec(Language language) {
        String wanted = api.config().kernelNames().get(language);
        JsonObject known = specs;
        if (known == null || !known.has(wanted)) {
            known = api.kernelSpecs(); // asked again when missing: it may have been installed since
            specs = known;
        }
        if (!known.has(wanted)) {
            Set<String> available = new TreeSet<>(known.keySet());
            throw new GatewayException("The gateway at " + api.config().url() + " has no kernelspec '" + wanted
                    + "' for " + language.displayName() + " (it has: " + (available.isEmpty() ? "none"
                    : String.join(", ", available)) + "). " + (GatewayConfig.DEFAULT_KERNELS.get(language).equals(wanted)
                    && (language == Language.JAVA || language == Language.JAVASCRIPT)
                    ? "Install agb-script's kernelspecs where the gateway finds them (./agb kernelspec install; see "
                    + "docs/gateway.md), or name" : "Name") + " another with AGB_GATEWAY_KERNELS="
                    + language.id() + "=NAME", 404);
        }
        return wanted;
    }

    /** How the language's kernel writes its errors: agb-script's preludes expect these implementations. */
    ErrorParser errors(Language language) {
        return switch (language) {
            case PYTHON -> ErrorParser.IPYKERNEL;
            case R -> ErrorParser.IRKERNEL;
            case JAVASCRIPT -> ErrorParser.TSLAB;
            case JAVA -> ErrorParser.AGB_JSHELL;
        };
    }

    /**
     * The {@code env} of a kernel start, as Jupyter Server's own gateway client sends it: this process's
     * {@code KERNEL_*} variables (Enterprise Gateway reads {@code KERNEL_USERNAME}, {@code KERNEL_NAMESPACE},
     * {@code KERNEL_IMAGE}, …) and {@code KERNEL_USERNAME} as this user when unset. Other servers ignore it.
     */
    Map<String, String> kernelEnvironment() {
        Map<String, String> env = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("KERNEL_")) {
                env.put(name, value);
            }
        });
        env.putIfAbsent("KERNEL_USERNAME", System.getProperty("user.name", "agb"));
        return env;
    }

    void remember(String kernelId) {
        liveKernels.add(kernelId);
    }

    void forget(String kernelId) {
        liveKernels.remove(kernelId);
    }

    /** Deletes the kernels still alive (their sessions were closed first, normally: this is the safety net). */
    @Override
    public void close() {
        for (String kernelId : liveKernels) {
            try {
                api.delete(kernelId);
            } catch (GatewayException e) {
                LOG.warning("Could not delete kernel " + kernelId + " on the gateway: " + e.getMessage());
            }
        }
        liveKernels.clear();
        timer.shutdownNow();
    }

    @Override
    public String toString() {
        return "GatewayBackend{" + api.config() + "}";
    }
}
