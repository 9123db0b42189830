package dev.agbscript.cloud;

import com.google.gson.JsonObject;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.Prelude;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import okhttp3.OkHttpClient;

/**
 * One session as the service knows it, from its creation (or attachment) to its end: its routes, its
 * stream, its keep-alive, and the languages whose prelude has run in it. A {@link CloudSandbox} replaces it
 * when it is gone.
 *
 * <p>Runs go over the WebSocket stream when the stream setting allows and the session offers a
 * {@code wsUrl}; in {@code auto} mode a stream that cannot be opened (the run frame never left) makes this
 * session run over HTTP from then on. HTTP runs take the LinkUrl route when the session names a server for
 * {@code run_code}, else the API route.
 *
 * <p>Whether the session is gone is decided by the service's error code ({@code …Session.NotFound}) or, when
 * a call was refused without one, by asking its status: {@code FINISH}, {@code DELETING}, {@code DELETED} or
 * not found. A call refused because the session is gone throws {@link SessionGoneException}.
 */
final class AgbSession {
    private static final Logger LOG = Logger.getLogger(AgbSession.class.getName());

    private final AgbClient client;
    private final SessionInfo info;
    private final boolean owned;
    private final CloudConfig.StreamMode streamMode;
    private final StreamChannel stream;
    private final KeepAlive keepAlive;
    private final Set<Language> started = ConcurrentHashMap.newKeySet();
    private volatile boolean httpFallback;
    private volatile String goneReason;

    /**
     * @param owned true when this client created the session (it is released at close); false when attached
     */
    AgbSession(AgbClient client, SessionInfo info, boolean owned, CloudConfig config, OkHttpClient wsClient,
               ScheduledExecutorService scheduler) {
        this.client = client;
        this.info = info;
        this.owned = owned;
        this.streamMode = config.stream();
        this.stream = streamMode != CloudConfig.StreamMode.OFF && info.offersStream()
                ? new StreamChannel(wsClient, info.wsUrl(), info.token(), config.retryBackoff(), config.timeout())
                : null;
        this.keepAlive = KeepAlive.start(client, this, scheduler, config.keepAlive());
    }

    String id() {
        return info.sessionId();
    }

    SessionInfo info() {
        return info;
    }

    /** Created by this client, not attached to. */
    boolean owned() {
        return owned;
    }

    /** Why the session is known to be gone, or null while it is thought alive. */
    String goneReason() {
        return goneReason;
    }

    void markGone(String why) {
        goneReason = why;
    }

    Set<Language> startedLanguages() {
        Set<Language> languages = EnumSet.noneOf(Language.class);
        languages.addAll(started);
        return languages;
    }

    /** Runs the language's prelude first if this is its first run here, then the code. */
    ExecutionResult execute(ExecutionRequest request, ExecutionListener listener) throws InterruptedException {
        if (started.add(request.language())) {
            try {
                runPrelude(request.language(), request.timeout());
            } catch (RuntimeException | InterruptedException e) {
                started.remove(request.language()); // not run: the next execution tries again
                throw e;
            }
        }
        return run(request, listener);
    }

    /** A failing prelude costs typed values only: warn once and go on with text values. */
    private void runPrelude(Language language, Duration timeout) throws InterruptedException {
        Optional<String> prelude = Prelude.of(language);
        if (prelude.isEmpty()) {
            return;
        }
        try {
            ExecutionResult result = run(new ExecutionRequest(language, prelude.get(),
                    timeout.compareTo(ExecutionRequest.DEFAULT_TIMEOUT) > 0 ? timeout : ExecutionRequest.DEFAULT_TIMEOUT,
                    true), ExecutionListener.NONE);
            result.error().ifPresent(e -> LOG.warning("The " + language.displayName() + " prelude failed in AGB session "
                    + id() + " (" + e.message() + "); values come back as text"));
        } catch (AgbApiException | AgbToolException | AgbProtocolException e) {
            LOG.warning("The " + language.displayName() + " prelude failed in AGB session " + id() + " ("
                    + e.getMessage() + "); values come back as text");
        }
    }

    private ExecutionResult run(ExecutionRequest request, ExecutionListener listener) throws InterruptedException {
        if (stream != null && !httpFallback) {
            try {
                return stream.run(request, info.codeServer(), listener, client.runWait(request));
            } catch (StreamChannel.NotConnectedException e) {
                streamNotConnected(e);
            }
        }
        ExecutionResult result;
        try {
            result = goneAware(() -> client.runCode(info, request, listener));
        } catch (TimeoutException e) {
            ExecutionError timeout = ExecutionError.timeout("Execution timed out after "
                    + AgbClient.timeoutSeconds(request.timeout()) + " s: no answer from the AGB service");
            listener.onError(timeout);
            return ExecutionResult.builder().error(timeout).build();
        }
        return result;
    }

    /**
     * The run frame never left. Gone session: {@link SessionGoneException}. Otherwise {@code auto} goes on
     * over HTTP for the rest of this session; {@code on} fails.
     */
    private void streamNotConnected(StreamChannel.NotConnectedException e) throws InterruptedException {
        if ((e.status > 0 || streamMode == CloudConfig.StreamMode.ON) && confirmGone()) {
            throw new SessionGoneException("its stream was refused (" + e.getMessage() + ") and " + goneReason, e);
        }
        if (streamMode == CloudConfig.StreamMode.ON) {
            throw new AgbTransportException("run_code stream: " + e.getMessage() + " for AGB session " + id()
                    + " (stream setting: on)", null, e.status, e);
        }
        httpFallback = true;
        LOG.warning("The stream of AGB session " + id() + " cannot be opened (" + e.getMessage()
                + "); this session runs code over HTTP from now on, its output arriving when each run ends");
    }

    /** True once the stream failed and this session runs over HTTP. */
    boolean fellBackToHttp() {
        return httpFallback;
    }

    /** A tool call other than a run (files, metrics), with the same test for a gone session. */
    AgbClient.ToolText callTool(String tool, JsonObject args, Duration wait) throws InterruptedException {
        try {
            return goneAware(() -> client.callTool(info, tool, args, wait));
        } catch (TimeoutException e) {
            throw new AgbTransportException(tool + ": no answer within " + wait.toMillis() + " ms", null, 0, e);
        }
    }

    private interface Call<T> {
        T call() throws InterruptedException, TimeoutException;
    }

    /** The call; a refusal that shows the session gone becomes {@link SessionGoneException}. */
    private <T> T goneAware(Call<T> call) throws InterruptedException, TimeoutException {
        try {
            return call.call();
        } catch (AgbApiException e) {
            if (e.isSessionNotFound()) {
                markGone(e.getMessage());
                throw new SessionGoneException(e.getMessage(), e);
            }
            throw e;
        } catch (AgbTransportException e) {
            if (e.notDelivered() && confirmGone()) {
                throw new SessionGoneException(e.getMessage() + "; " + goneReason, e);
            }
            throw e;
        }
    }

    /**
     * Asks the service whether the session is gone: by status ({@code FINISH}, {@code DELETING},
     * {@code DELETED}) or a not-found code. When the service cannot be asked, the session counts as alive.
     */
    boolean confirmGone() throws InterruptedException {
        try {
            String status = client.sessionStatus(id());
            if (SessionInfo.isGone(status)) {
                markGone("its status is " + status);
                return true;
            }
            return false;
        } catch (AgbApiException e) {
            if (e.isSessionNotFound()) {
                markGone(e.getMessage());
                return true;
            }
            return false;
        } catch (AgbTransportException e) {
            return false;
        }
    }


    /** Stops the stream and the keep-alive; the service-side session is released (or not) by the owner. */
    void close() {
        if (keepAlive != null) {
            keepAlive.cancel();
        }
        if (stream != null) {
            stream.close();
        }
    }
}
