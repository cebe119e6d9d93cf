package com.bigledger.auth.spring;

import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.bigledger.BigLedgerHeaders;
import java.util.Objects;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A {@code WebClient} filter that adds the BigLedger headers to requests under the API's base URL (others pass
 * untouched) and, after a 401, invalidates the credential it sent and sends the request once more with the one that
 * replaces it. Loading or refreshing a credential may block, so it runs on Reactor's bounded-elastic scheduler, never
 * on an event-loop thread.
 *
 * <p>Immutable and thread-safe.
 */
public final class BigLedgerExchangeFilterFunction implements ExchangeFilterFunction {

    private final BigLedgerAuth auth;

    /**
     * Creates the filter.
     *
     * @param auth the credentials and base URL
     * @throws NullPointerException if {@code auth} is {@code null}
     */
    public BigLedgerExchangeFilterFunction(BigLedgerAuth auth) {
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        if (!auth.isUnderBaseUrl(request.url())) {
            return next.exchange(request);
        }
        return Mono.fromCallable(auth::headers).subscribeOn(Schedulers.boundedElastic())
                .flatMap(sent -> next.exchange(with(request, sent)).flatMap(response -> {
                    if (response.statusCode().value() != 401 || !auth.refreshable()) {
                        return Mono.just(response);
                    }
                    return response.releaseBody()
                            .then(Mono.fromCallable(() -> {
                                auth.invalidate(sent);
                                return auth.headers();
                            }).subscribeOn(Schedulers.boundedElastic()))
                            .flatMap(fresh -> next.exchange(with(request, fresh)));
                }));
    }

    private static ClientRequest with(ClientRequest request, BigLedgerHeaders headers) {
        return ClientRequest.from(request)
                .headers(h -> BigLedgerClientHttpRequestInterceptor.apply(h, headers))
                .build();
    }

    @Override
    public String toString() {
        return "BigLedgerExchangeFilterFunction[" + auth.baseUrl() + "]";
    }
}
