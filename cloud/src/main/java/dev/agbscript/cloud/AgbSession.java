package dev.agbscript.cloud;

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
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import okhttp3.OkHttpClient;

/**
 * One session as the service knows it, from its creation to its end: its routes, its stream, and the
 * languages whose prelude has run in it. A {@link CloudSandbox} replaces it when the service expires it.
 *
 * <p>Runs go by the best route the session offers: the WebSocket stream when it has a {@code wsUrl}, else
 * the LinkUrl route, else the API route.
 */
final class AgbSession {
    private static final Logger LOG = Logger.getLogger(AgbSession.class.getName());

    private final AgbClient client;
    private final SessionInfo info;
    private final StreamChannel stream;
    private final Set<Language> started = ConcurrentHashMap.newKeySet();

    AgbSession(AgbClient client, SessionInfo info, OkHttpClient wsClient, Duration backoff) {
        this.client = client;
        this.info = info;
        this.stream = info.offersStream() ? new StreamChannel(wsClient, info.wsUrl(), info.token(), backoff) : null;
    }

    String id() {
        return info.sessionId();
    }

    SessionInfo info() {
        return info;
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
        } catch (AgbApiException e) {
            if (e.isSessionNotFound()) {
                throw e;
            }
            LOG.warning("The " + language.displayName() + " prelude failed in AGB session " + id() + " ("
                    + e.getMessage() + "); values come back as text");
        } catch (AgbToolException | AgbProtocolException e) {
            LOG.warning("The " + language.displayName() + " prelude failed in AGB session " + id() + " ("
                    + e.getMessage() + "); values come back as text");
        }
    }

    private ExecutionResult run(ExecutionRequest request, ExecutionListener listener) throws InterruptedException {
        Duration wait = client.runWait(request);
        if (stream != null) {
            return stream.run(request, info.codeServer(), listener, wait);
        }
        ExecutionResult result;
        try {
            result = info.offersLinkRoute() ? client.runCodeViaLink(info, request) : client.runCode(info, request);
        } catch (TimeoutException e) {
            ExecutionError timeout = ExecutionError.timeout("Execution timed out after "
                    + AgbClient.timeoutSeconds(request.timeout()) + " s: no answer from the AGB service");
            listener.onError(timeout);
            return ExecutionResult.builder().error(timeout).build();
        }
        replay(result, listener);
        return result;
    }

    /** A non-streamed run's outputs reach the listener when its answer arrives, in the stream's order. */
    private static void replay(ExecutionResult result, ExecutionListener listener) {
        result.logs().stdout().forEach(listener::onStdout);
        result.logs().stderr().forEach(listener::onStderr);
        for (MimeBundle bundle : result.results()) {
            listener.onResult(bundle);
        }
        result.error().ifPresent(listener::onError);
    }

    /** Checks, after a refused stream handshake, whether the session still exists (throws when gone). */
    void confirmExists() throws InterruptedException {
        client.getSession(id());
    }

    /** Closes the stream only; the service-side session is released by the owner. */
    void closeStream() {
        if (stream != null) {
            stream.close();
        }
    }
}
