package com.bigledger.auth.store.aws;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * Secret values as Secrets Manager holds them: a {@code SecretString} or {@code SecretBinary} read into a
 * {@link Secret}, and a {@link Secret} passed to a request as one or the other. Every byte copy it makes is wiped before it returns.
 *
 * <p>Stateless and thread-safe.
 */
final class SecretValues {

    private SecretValues() {
    }

    /**
     * The value of a {@code GetSecretValue} answer.
     *
     * @throws CredentialException of kind {@link Kind#INVALID} if the reference has a field and the value is binary
     * @throws CredentialNotFoundException if the version holds no value
     */
    static Secret valueOf(CredentialRef ref, GetSecretValueResponse response) {
        if (response.secretString() != null) {
            return Secret.of(response.secretString());
        }
        if (response.secretBinary() != null) {
            if (ref.field().isPresent()) {
                throw new CredentialException(Kind.INVALID, ref, "a field was asked for, but the secret holds"
                        + " SecretBinary, not a JSON SecretString", null);
            }
            byte[] bytes = response.secretBinary().asByteArray();
            try {
                return Secret.ofBytes(bytes);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }
        throw new CredentialNotFoundException(ref, "the version " + response.versionId() + " holds no value");
    }

    /** Passes the value to a request as {@code SecretString} when it is UTF-8 text, else as {@code SecretBinary}. */
    static void setValue(Secret value, Consumer<String> asText, Consumer<SdkBytes> asBinary) {
        byte[] bytes = value.revealBytes();
        try {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                asBinary.accept(SdkBytes.fromByteArray(bytes));
                return;
            }
            asText.accept(text);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
