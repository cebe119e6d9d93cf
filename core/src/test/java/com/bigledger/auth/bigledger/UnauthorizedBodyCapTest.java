package com.bigledger.auth.bigledger;

import static com.bigledger.auth.testing.LeakAssertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The body of a 401 that is about to be retried is read no further than any other body. */
class UnauthorizedBodyCapTest {

    private static final long DECLARED = 256L * 1024 * 1024;

    @Test
    void hugeBodyOfAFirst401IsAbandonedAtTheCap() throws Exception {
        InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
        CredentialRef ref = store.put("bigledger/api-key", Canary.secret("blg_live_sk_"));
        ExecutorService server = Executors.newSingleThreadExecutor();
        try (ServerSocket socket = new ServerSocket(0, 2, InetAddress.getLoopbackAddress());
                CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build()) {
            Future<Long> written = server.submit(() -> {
                long sent;
                try (Socket first = socket.accept()) {
                    sent = answer401(first, DECLARED);
                }
                try (Socket second = socket.accept()) {
                    answer401(second, 2);
                }
                return sent;
            });
            BigLedgerAuth auth = BigLedgerAuth.builder()
                    .baseUrl(URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/v1"))
                    .allowInsecureLoopback(true).apiKey(vault, ref).companyId("company_x").build();

            Throwable thrown = catchThrowable(() -> BigLedgerHttpClient.create(auth).verify());

            assertThat(thrown).isInstanceOf(UnauthorizedException.class);
            // Socket buffers let a few MiB through before the abandoned connection refuses more.
            assertThat(written.get(60, TimeUnit.SECONDS)).isLessThan(32L * 1024 * 1024);
        } finally {
            server.shutdownNow();
        }
    }

    /** Reads one request's headers and answers 401 with a body of the given length; returns the bytes written. */
    private static long answer401(Socket socket, long length) throws IOException {
        InputStream in = socket.getInputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return 0;
            }
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: " + length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        long sent = 0;
        try {
            while (sent < length) {
                int n = (int) Math.min(chunk.length, length - sent);
                out.write(chunk, 0, n);
                sent += n;
            }
            out.flush();
        } catch (IOException abandoned) {
            // The client closed the connection: it stopped reading.
        }
        return sent;
    }
}
