package com.bigledger.auth.store.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A thin HTTP proxy on 127.0.0.1 in front of {@code moto_server}, speaking Secrets Manager's own protocol
 * (awsJson1.1: {@code POST /} with {@code X-Amz-Target: secretsmanager.<Op>}), for what moto does not model. Every
 * request is passed to moto as it came, signature included, unless a rule below answers it first, as AWS would,
 * with an awsJson error body ({@code {"__type":…,"message":…}}) and the {@code X-Amzn-ErrorType} header.
 *
 * <p>Rules always on, because moto is more permissive than AWS:
 * <ul>
 *   <li>{@code PutSecretValue} and {@code UpdateSecretVersionStage} on a secret scheduled for deletion answer
 *       {@code InvalidRequestException} (docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html;
 *       API_PutSecretValue.html, "InvalidRequestException … the secret is scheduled for deletion"); moto lets them
 *       through.
 *   <li>Errors answered 404 by moto ({@code ResourceNotFoundException}) are answered 400, as AWS does
 *       (CommonErrors.html: client errors are 400).
 * </ul>
 * Rules a test turns on:
 * <ul>
 *   <li>{@link #denyDescribe}: {@code DescribeSecret} is denied, as for a role without
 *       {@code secretsmanager:DescribeSecret} (it is an IAM action of its own: API_DescribeSecret.html, "Required
 *       permissions").
 *   <li>{@link #freezeDescribe}: {@code DescribeSecret} answers an earlier view of the secret: Secrets Manager is
 *       eventually consistent and gives no read-after-write guarantee for staging labels.
 *   <li>{@link #fail}: an operation answers an error, such as the KMS denial "Access to KMS is not allowed" or
 *       {@code InternalFailure} (repost.aws knowledge-center/secrets-manager-cross-account-key).
 *   <li>{@link #versionQuota}: {@code PutSecretValue} answers {@code LimitExceededException} once the secret has that
 *       many versions (API_PutSecretValue.html: about 100 versions are kept, plus every version of the last 24 h;
 *       beyond that the quota is exceeded).
 * </ul>
 * Records the operations it forwarded or answered. Thread-safe.
 */
final class SecretsManagerProxy implements AutoCloseable {

    private static final Pattern SECRET_ID = Pattern.compile("\"SecretId\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern VERSION_ID = Pattern.compile("\"VersionId\"\\s*:");
    private static final Pattern DELETED = Pattern.compile("\"DeletedDate\"\\s*:\\s*[0-9\"]");
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding");

    private final URI moto;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> operations = new ArrayList<>();
    private final Map<String, Scripted> failures = new HashMap<>();
    private final Map<String, Frozen> frozen = new HashMap<>();
    private boolean describeDenied;
    private int versionQuota;

    private SecretsManagerProxy(URI moto) throws IOException {
        this.moto = moto;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static SecretsManagerProxy start(MotoServer moto) {
        try {
            return new SecretsManagerProxy(moto.endpoint());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Secrets Manager proxy", e);
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A client for this proxy with moto's dummy credentials; the caller closes it. */
    SecretsManagerClient client() {
        return SecretsManagerClient.builder()
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(MotoServer.CREDENTIALS)
                .build();
    }

    /** Denies {@code DescribeSecret} to every caller, or allows it again. */
    synchronized void denyDescribe(boolean denied) {
        this.describeDenied = denied;
    }

    /**
     * Answers the next {@code count} {@code DescribeSecret} calls of a secret with the view it has now, whatever
     * happens to it meanwhile.
     */
    void freezeDescribe(String secretId, int count) throws IOException, InterruptedException {
        // moto routes a request to Secrets Manager by the scope of its SigV4 header, and checks no signature.
        String authorization = "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/secretsmanager/aws4_request,"
                + " SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64);
        Answer view = forward("DescribeSecret", "{\"SecretId\":\"" + secretId + "\"}", authorization);
        synchronized (this) {
            frozen.put(secretId, new Frozen(view, count));
        }
    }

    /** Answers the next {@code count} calls of {@code operation} with an AWS error. */
    synchronized void fail(String operation, int count, int status, String code, String message) {
        failures.put(operation, new Scripted(count, status, code, message));
    }

    /** Refuses {@code PutSecretValue} once a secret has {@code versions} versions; 0 for no quota. */
    synchronized void versionQuota(int versions) {
        this.versionQuota = versions;
    }

    /** Turns every rule a test set off. */
    synchronized void reset() {
        failures.clear();
        frozen.clear();
        describeDenied = false;
        versionQuota = 0;
    }

    /** The operations seen, in order, such as {@code DescribeSecret}. */
    synchronized List<String> operations() {
        return List.copyOf(operations);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        Answer answer;
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
            String text = new String(body, StandardCharsets.UTF_8);
            synchronized (this) {
                operations.add(operation);
            }
            answer = answer(exchange, operation, text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer = error(500, "InternalFailure", "the proxy was interrupted");
        } catch (IOException | RuntimeException e) {
            answer = error(500, "InternalFailure", "the proxy failed: " + e.getClass().getName());
        }
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", answer.requestId);
        if (answer.errorType != null) {
            exchange.getResponseHeaders().set("X-Amzn-ErrorType", answer.errorType);
        }
        byte[] out = answer.body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status, out.length == 0 ? -1 : out.length);
        try (OutputStream stream = exchange.getResponseBody()) {
            stream.write(out);
        }
    }

    private Answer answer(HttpExchange exchange, String operation, String body)
            throws IOException, InterruptedException {
        String secretId = secretId(body);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        synchronized (this) {
            Scripted scripted = failures.get(operation);
            if (scripted != null && scripted.left > 0) {
                scripted.left--;
                return error(scripted.status, scripted.code, scripted.message);
            }
            if (operation.equals("DescribeSecret") && describeDenied) {
                return error(400, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/bigledger-app is not"
                        + " authorized to perform: secretsmanager:DescribeSecret on resource: " + secretId
                        + " because no identity-based policy allows the secretsmanager:DescribeSecret action");
            }
            Frozen view = operation.equals("DescribeSecret") ? frozen.get(secretId) : null;
            if (view != null && view.left > 0) {
                view.left--;
                return view.answer;
            }
        }
        if ((operation.equals("PutSecretValue") || operation.equals("UpdateSecretVersionStage")) && secretId != null) {
            Answer described = forward("DescribeSecret", "{\"SecretId\":\"" + secretId + "\"}", authorization);
            if (described.status == 200 && DELETED.matcher(described.body).find()) {
                return error(400, "InvalidRequestException", "You can't perform this operation on the secret"
                        + " because it was marked for deletion.");
            }
            int quota;
            synchronized (this) {
                quota = versionQuota;
            }
            if (operation.equals("PutSecretValue") && quota > 0) {
                Answer versions = forward("ListSecretVersionIds", "{\"SecretId\":\"" + secretId
                        + "\",\"IncludeDeprecated\":true,\"MaxResults\":100}", authorization);
                Matcher matcher = VERSION_ID.matcher(versions.body);
                int count = 0;
                while (matcher.find()) {
                    count++;
                }
                if (count >= quota) {
                    return error(400, "LimitExceededException", "You have exceeded the maximum number of versions"
                            + " allowed for this secret.");
                }
            }
        }
        Answer answer = forward(exchange, body);
        if (answer.status == 404 && answer.body.contains("__type")) {
            return new Answer(400, answer.body, answer.errorType, answer.requestId);
        }
        return answer;
    }

    private Answer forward(HttpExchange exchange, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(moto.resolve(exchange.getRequestURI().getRawPath()))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return send(request.build());
    }

    /** A request of the proxy's own to moto, signed with the caller's header (moto routes by it, and checks none). */
    private Answer forward(String operation, String body, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(moto.resolve("/"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("X-Amz-Target", "secretsmanager." + operation)
                .header("Content-Type", "application/x-amz-json-1.1");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(),
                response.headers().firstValue("X-Amzn-ErrorType").orElse(null),
                response.headers().firstValue("x-amzn-RequestId").orElse(UUID.randomUUID().toString()));
    }

    private static String secretId(String body) {
        Matcher matcher = SECRET_ID.matcher(body);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static Answer error(int status, String code, String message) {
        String body = "{\"__type\":\"" + code + "\",\"message\":\"" + message.replace("\"", "\\\"") + "\"}";
        return new Answer(status, body, code, UUID.randomUUID().toString());
    }

    private static final class Answer {
        final int status;
        final String body;
        final String errorType;
        final String requestId;

        Answer(int status, String body, String errorType, String requestId) {
            this.status = status;
            this.body = body;
            this.errorType = errorType;
            this.requestId = requestId;
        }
    }

    private static final class Scripted {
        final int status;
        final String code;
        final String message;
        int left;

        Scripted(int count, int status, String code, String message) {
            this.left = count;
            this.status = status;
            this.code = code;
            this.message = message;
        }
    }

    private static final class Frozen {
        final Answer answer;
        int left;

        Frozen(Answer answer, int left) {
            this.answer = answer;
            this.left = left;
        }
    }
}
