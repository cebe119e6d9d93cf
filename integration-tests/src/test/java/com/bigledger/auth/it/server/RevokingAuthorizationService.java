package com.bigledger.auth.it.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.stereotype.Component;

/**
 * The authorization store of the test's Spring Authorization Server: Spring's in-memory one, plus refresh-token
 * reuse detection for the clients whose id starts with {@value #REVOKING_PREFIX}, as Keycloak, Ory Hydra and others
 * do it. When such a client presents a refresh token that an earlier refresh retired, the whole authorization is
 * removed: the retired token and the live one both get {@code invalid_grant} from then on.
 *
 * <p>It counts, per client, the refresh-token lookups the token endpoint makes (one per refresh request), the
 * rotations it stored, the retired tokens presented and the lookups of unknown or revoked tokens. Thread-safe.
 */
@Component
public class RevokingAuthorizationService implements OAuth2AuthorizationService {

    /** The clients with reuse detection. */
    public static final String REVOKING_PREFIX = "fleet-";

    /** Counts for one client. */
    public static final class Counts {
        /** Refresh requests: refresh-token lookups by the token endpoint. */
        public final AtomicInteger refreshRequests = new AtomicInteger();
        /** Refreshes that stored a new refresh token. */
        public final AtomicInteger rotations = new AtomicInteger();
        /** Retired refresh tokens presented: each revoked its authorization. */
        public final AtomicInteger retiredPresented = new AtomicInteger();
        /** Refresh requests refused because the token was retired or its authorization revoked. */
        public final AtomicInteger refused = new AtomicInteger();
    }

    private final InMemoryOAuth2AuthorizationService delegate = new InMemoryOAuth2AuthorizationService();
    /** Retired refresh token value to the id of its authorization. */
    private final Map<String, String> retired = new ConcurrentHashMap<>();
    /** The registration id of the client of each retired refresh token. */
    private final Map<String, String> clientOfRetired = new ConcurrentHashMap<>();
    private final Map<String, Counts> counts = new ConcurrentHashMap<>();

    /** The counts of the client with registration id {@code registeredClientId} (created on first use). */
    public Counts counts(String registeredClientId) {
        return counts.computeIfAbsent(registeredClientId, id -> new Counts());
    }

    @Override
    public synchronized void save(OAuth2Authorization authorization) {
        OAuth2Authorization before = delegate.findById(authorization.getId());
        String old = refreshToken(before);
        String now = refreshToken(authorization);
        if (old != null && !old.equals(now)) {
            retired.put(old, authorization.getId());
            clientOfRetired.put(old, authorization.getRegisteredClientId());
            counts(authorization.getRegisteredClientId()).rotations.incrementAndGet();
        }
        delegate.save(authorization);
    }

    @Override
    public synchronized void remove(OAuth2Authorization authorization) {
        delegate.remove(authorization);
    }

    @Override
    public synchronized OAuth2Authorization findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public synchronized OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        if (!OAuth2TokenType.REFRESH_TOKEN.equals(tokenType)) {
            return delegate.findByToken(token, tokenType);
        }
        String retiredFrom = retired.get(token);
        if (retiredFrom != null) {
            String client = clientOfRetired.get(token);
            Counts c = counts(client);
            c.refreshRequests.incrementAndGet();
            if (client.startsWith(REVOKING_PREFIX)) {
                c.retiredPresented.incrementAndGet();
                OAuth2Authorization authorization = delegate.findById(retiredFrom);
                if (authorization != null) {
                    // The live refresh token dies with its authorization: refused like a retired one from now on.
                    String live = refreshToken(authorization);
                    if (live != null) {
                        retired.put(live, retiredFrom);
                        clientOfRetired.put(live, client);
                    }
                    delegate.remove(authorization);
                }
            }
            c.refused.incrementAndGet();
            return null;
        }
        OAuth2Authorization found = delegate.findByToken(token, tokenType);
        if (found == null) {
            return null;
        }
        counts(found.getRegisteredClientId()).refreshRequests.incrementAndGet();
        return found;
    }

    private static String refreshToken(OAuth2Authorization authorization) {
        if (authorization == null) {
            return null;
        }
        OAuth2Authorization.Token<OAuth2RefreshToken> token = authorization.getRefreshToken();
        return token == null ? null : token.getToken().getTokenValue();
    }
}
