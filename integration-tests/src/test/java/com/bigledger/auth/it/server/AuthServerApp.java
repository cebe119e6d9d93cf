package com.bigledger.auth.it.server;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Spring Boot application of {@link com.bigledger.auth.it.AuthServer}: configured by {@code authserver.yml}. */
@SpringBootApplication
public class AuthServerApp {
}
