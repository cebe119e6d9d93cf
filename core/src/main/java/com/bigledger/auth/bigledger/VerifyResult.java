package com.bigledger.auth.bigledger;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code GET /v1/auth/verify} said about the credentials: whether they authenticate, for which company, and
 * with which permissions.
 *
 * <p>A check worth running at start-up or from a health endpoint: it proves the key or token, the company id and
 * the network path together, which offline checks cannot. Text from the server (the company's name and plan) is
 * capped and stripped of control characters. Immutable and thread-safe.
 */
public final class VerifyResult {

    private final boolean authenticated;
    private final Company company;
    private final List<String> permissions;

    /**
     * Creates a result.
     *
     * @param authenticated the API's {@code data.authenticated}
     * @param company the company, or {@code null} when the response named none
     * @param permissions the permissions granted, such as {@code read:accounts}; copied
     * @throws NullPointerException if {@code permissions} or an element is {@code null}
     */
    public VerifyResult(boolean authenticated, Company company, List<String> permissions) {
        this.authenticated = authenticated;
        this.company = company;
        this.permissions = List.copyOf(permissions);
    }

    /**
     * Tells whether the API accepted the credentials.
     *
     * @return {@code data.authenticated}
     */
    public boolean authenticated() {
        return authenticated;
    }

    /**
     * Returns the company the request acted for.
     *
     * @return the company, or empty when the response named none
     */
    public Optional<Company> company() {
        return Optional.ofNullable(company);
    }

    /**
     * Returns the permissions the credentials carry, in the order the API listed them.
     *
     * @return the permissions, such as {@code read:accounts}; unmodifiable, possibly empty
     */
    public List<String> permissions() {
        return permissions;
    }

    /**
     * Tells whether the credentials carry a permission.
     *
     * @param permission a permission or OAuth scope, such as {@link BigLedgerScopes#READ_ACCOUNTS}
     * @return {@code true} if it is among {@link #permissions()}
     */
    public boolean hasPermission(String permission) {
        return permissions.contains(Objects.requireNonNull(permission, "permission"));
    }

    @Override
    public String toString() {
        return "VerifyResult[authenticated=" + authenticated + ", company=" + company + ", permissions="
                + permissions + "]";
    }

    /**
     * A BigLedger company, as {@code data.company} of the verify response describes it.
     *
     * @param id the company id, such as {@code company_abc123}
     * @param name the company's name, such as {@code Acme Corporation}, or empty when not given
     * @param plan the company's plan, such as {@code professional}, or empty when not given
     */
    public record Company(String id, Optional<String> name, Optional<String> plan) {

        /**
         * Creates a company.
         *
         * @param id the company id
         * @param name the company's name, or empty
         * @param plan the company's plan, or empty
         * @throws NullPointerException if an argument is {@code null}
         */
        public Company {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(plan, "plan");
        }

        /** Shows the id, and the name and plan when given. */
        @Override
        public String toString() {
            return "Company[id=" + id + name.map(n -> ", name=" + n).orElse("")
                    + plan.map(p -> ", plan=" + p).orElse("") + "]";
        }
    }
}
