package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A separate process that writes to a vault, started by {@link ProcessWritersTest}.
 *
 * <p>{@code forever FILE}: increments the counter without end, printing each value once it is written (the
 * parent kills it). {@code count FILE N}: increments the counter N times with compare-and-set, then prints
 * {@code done} and the number of conflicts met.
 */
public final class SecretsFileWriterProcess {

    private SecretsFileWriterProcess() {
    }

    /**
     * Runs one mode.
     *
     * @param args the mode, the secrets file, and for {@code count} the number of increments
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        FileCredentialSource source = TestSecretsFiles.source(Path.of(args[1]));
        CredentialRef counter = CredentialRef.of(FileCredentialSource.SCHEME, "counter");
        if (args[0].equals("forever")) {
            while (true) {
                long next = Long.parseLong(source.load(counter).secret().reveal()) + 1;
                source.write(counter, Secret.of(Long.toString(next)), Optional.empty());
                out.println(next);
            }
        }
        int conflicts = 0;
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            conflicts += Counter.increment(source, counter);
        }
        out.println("done " + conflicts);
    }
}
