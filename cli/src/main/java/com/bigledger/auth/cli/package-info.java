/**
 * The {@code bigledger-auth} command line: {@code resolve} prints what a credential reference resolves to,
 * {@code doctor} checks the configuration a BigLedger client would use, {@code token} gets an OAuth access token
 * with the client's credentials.
 *
 * <p>Every command reads the environment through the map it is constructed with, so tests run the commands
 * in-process against an environment they choose.
 */
package com.bigledger.auth.cli;
