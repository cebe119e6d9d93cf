package com.bigledger.auth.store.vault;

import com.bigledger.auth.Secret;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import io.github.jopenlibs.vault.json.ParseException;
import java.time.Duration;
import java.util.Map;

/** Shared set-up for the tests: a builder aimed at a double, and KV data made from values. */
final class TestVaults {

    private TestVaults() {
    }

    /** A builder for a source that talks to {@code vault} over http, with no environment. */
    static VaultCredentialSource.Builder builder(VaultHttpDouble vault) {
        return VaultCredentialSource.builder()
                .environment(Map.of())
                .address(vault.address())
                .allowInsecureLoopback(true)
                .requestTimeout(Duration.ofSeconds(10));
    }

    /** A builder authenticated with a fresh renewable token of the root namespace, valid for a day. */
    static VaultCredentialSource.Builder withToken(VaultHttpDouble vault, String... policies) {
        String token = vault.root().issueToken(Duration.ofDays(1), Duration.ofDays(30), true, policies);
        return builder(vault).authentication(VaultAuthentication.token(Secret.of(token)));
    }

    /** The KV data that holds a value: the value's fields when it is a JSON object, else {@code {"value": …}}. */
    static JsonObject data(Secret value) {
        String text = value.reveal();
        try {
            JsonValue parsed = Json.parse(text);
            if (parsed.isObject()) {
                return parsed.asObject();
            }
        } catch (ParseException e) {
            // Not JSON: a plain value.
        }
        return Json.object().add("value", text);
    }

    /** KV data of string fields given as name, value, name, value, … */
    static JsonObject fields(String... namesAndValues) {
        JsonObject data = Json.object();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            data.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return data;
    }
}
