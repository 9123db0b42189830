package dev.agbscript.cloud;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Response;

/**
 * Runs an OkHttp call so that the calling thread can be interrupted: the call is enqueued and awaited, and
 * an interrupt (or the wait limit) cancels it.
 */
final class HttpCalls {
    private HttpCalls() {}

    /** The body of an answered call. */
    record Answer(int status, String body, String requestIdHeader) {}

    /**
     * @throws IOException          when the call failed at the transport level
     * @throws TimeoutException     when no answer came within {@code wait}; the call is cancelled
     * @throws InterruptedException when the thread was interrupted; the call is cancelled
     */
    static Answer await(Call call, Duration wait) throws IOException, TimeoutException, InterruptedException {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                answer.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call c, Response response) {
                try (response) {
                    answer.complete(new Answer(response.code(), response.body() == null ? "" : response.body().string(),
                            response.header("x-request-id")));
                } catch (IOException | RuntimeException e) {
                    answer.completeExceptionally(e);
                }
            }
        });
        try {
            return answer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | TimeoutException e) {
            call.cancel();
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }
}
