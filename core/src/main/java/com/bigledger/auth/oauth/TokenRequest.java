package com.bigledger.auth.oauth;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parameters of one token request, in wire order, the secret values among them (to take out of anything the
 * server echoes), and their encoding as a form or JSON body with the client's authentication.
 */
final class TokenRequest {

    final String grantType;
    final List<String[]> params = new ArrayList<>();
    final List<String> secrets = new ArrayList<>();
    final String basicAuthorization;

    TokenRequest(TokenEndpoint client, String grantType) {
        this.grantType = grantType;
        ClientAuthentication authentication = client.clientAuthentication;
        param("grant_type", grantType);
        if (authentication != ClientAuthentication.CLIENT_SECRET_BASIC) {
            param("client_id", client.clientId);
        }
        if (authentication == ClientAuthentication.CLIENT_SECRET_POST) {
            secret("client_secret", client.clientSecret.reveal());
        }
        if (authentication == ClientAuthentication.CLIENT_SECRET_BASIC) {
            // RFC 6749 §2.3.1: both parts form-encoded before Base64.
            String secret = client.clientSecret.reveal();
            String encoded = Base64.getEncoder().encodeToString(
                    (form(client.clientId) + ":" + form(secret)).getBytes(StandardCharsets.UTF_8));
            secrets.add(secret);
            secrets.add(encoded);
            basicAuthorization = "Basic " + encoded;
        } else {
            basicAuthorization = null;
        }
    }

    void param(String name, String value) {
        params.add(new String[] {name, value});
    }

    void secret(String name, String value) {
        param(name, value);
        secrets.add(value);
    }

    void scope(Set<String> scopes) {
        if (!scopes.isEmpty()) {
            param("scope", Scopes.join(scopes));
        }
    }

    /** The HTTP request: a POST of the parameters in {@code format}, with the client's authentication. */
    HttpRequest toHttp(URI endpoint, Duration timeout, String userAgent, RequestFormat format) {
        HttpRequest.Builder http = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("User-Agent", userAgent);
        if (basicAuthorization != null) {
            http.header("Authorization", basicAuthorization);
        }
        if (format == RequestFormat.JSON) {
            http.header("Content-Type", "application/json");
            http.POST(HttpRequest.BodyPublishers.ofByteArray(json(params)));
        } else {
            http.header("Content-Type", "application/x-www-form-urlencoded");
            http.POST(HttpRequest.BodyPublishers.ofString(form(params), StandardCharsets.UTF_8));
        }
        return http.build();
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String form(List<String[]> params) {
        StringBuilder body = new StringBuilder();
        for (String[] p : params) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(form(p[0])).append('=').append(form(p[1]));
        }
        return body.toString();
    }

    private static byte[] json(List<String[]> params) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = TokenBodies.JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            // A repeated parameter (RFC 8693's audience and resource) is one member holding an array.
            Map<String, List<String>> members = new LinkedHashMap<>();
            for (String[] p : params) {
                members.computeIfAbsent(p[0], name -> new ArrayList<>()).add(p[1]);
            }
            for (Map.Entry<String, List<String>> member : members.entrySet()) {
                if (member.getValue().size() == 1) {
                    g.writeStringField(member.getKey(), member.getValue().get(0));
                    continue;
                }
                g.writeArrayFieldStart(member.getKey());
                for (String value : member.getValue()) {
                    g.writeString(value);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }
}
