package io.lingang.zones.infra;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import java.nio.ByteBuffer;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The fabric8 Vert.x HTTP client, offering ChaCha20-Poly1305 first in its TLS handshakes.
 *
 * <p>Why: the operator runs the C1 compiler only (C2 costs more than it saves in an operator's
 * bursts, docs/PERFORMANCE.md), and without C2 the JDK has no AES intrinsics: AES-GCM runs as plain
 * Java at 14–40 MB/s, ChaCha20-Poly1305 at about 110–150 MB/s. Decrypting watch events and
 * responses was over a quarter of the operator's CPU. The API server (Go) chooses ChaCha20 when
 * the client lists it first, and the client's list is not ours to set: fabric8 7.5 builds Netty's
 * JdkSslContext with Netty's default suites (AES-GCM only). So the SSLContext handed to that
 * client makes engines that put the ChaCha20 suites first in whatever list they are given, and
 * change nothing else; a server without ChaCha20 still gets AES-GCM.
 */
public final class ChaCha20First {
  /** The ChaCha20-Poly1305 suites of TLS 1.3 and 1.2, in the order they are offered. */
  static final List<String> SUITES = List.of("TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private ChaCha20First() {}

  /** The factory to give {@code KubernetesClientBuilder.withHttpClientFactory}. */
  public static HttpClient.Factory httpClientFactory() {
    return new Factory();
  }

  /** {@code suites} with every ChaCha20 suite the engine supports moved (or added) to the front. */
  static String[] preferred(String[] suites, Set<String> supported) {
    List<String> ordered = new ArrayList<>();
    SUITES.stream().filter(supported::contains).forEach(ordered::add);
    Arrays.stream(suites).filter(s -> !ordered.contains(s)).forEach(ordered::add);
    return ordered.toArray(String[]::new);
  }

  /** {@code context}, whose engines offer ChaCha20 first. */
  static SSLContext wrap(SSLContext context) {
    return new SSLContext(new Spi(context), context.getProvider(), context.getProtocol()) {};
  }

  private static final class Factory extends VertxHttpClientFactory {
    @Override
    public VertxHttpClientBuilder<VertxHttpClientFactory> newBuilder() {
      return new Builder(this);
    }
  }

  /** Derived clients share the first client's connections, and so its context. */
  private static final class Builder extends VertxHttpClientBuilder<VertxHttpClientFactory> {
    Builder(VertxHttpClientFactory factory) {
      super(factory, null);
    }

    @Override
    public VertxHttpClientBuilder<VertxHttpClientFactory> sslContext(KeyManager[] keyManagers, TrustManager[] trustManagers) {
      super.sslContext(keyManagers, trustManagers);
      this.sslContext = wrap(this.sslContext);
      return this;
    }
  }

  private static final class Spi extends SSLContextSpi {
    private final SSLContext delegate;

    Spi(SSLContext delegate) {
      this.delegate = delegate;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) throws KeyManagementException {
      delegate.init(km, tm, random);
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return delegate.getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return delegate.getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return new Engine(delegate.createSSLEngine());
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return new Engine(delegate.createSSLEngine(host, port));
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return delegate.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return delegate.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return delegate.getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return delegate.getSupportedSSLParameters();
    }
  }

  /** The JDK's engine, with its enabled suites reordered whenever they are set. */
  private static final class Engine extends SSLEngine {
    private final SSLEngine e;
    private final Set<String> supported;

    Engine(SSLEngine e) {
      super(e.getPeerHost(), e.getPeerPort());
      this.e = e;
      this.supported = Set.of(e.getSupportedCipherSuites());
      e.setEnabledCipherSuites(preferred(e.getEnabledCipherSuites(), supported));
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
      e.setEnabledCipherSuites(preferred(suites, supported));
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
      if (params.getCipherSuites() != null) {
        params.setCipherSuites(preferred(params.getCipherSuites(), supported));
      }
      e.setSSLParameters(params);
    }

    // Everything else as the JDK's engine does it.

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
      return e.wrap(srcs, offset, length, dst);
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
      return e.wrap(src, dst);
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, ByteBuffer dst) throws SSLException {
      return e.wrap(srcs, dst);
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
      return e.unwrap(src, dsts, offset, length);
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
      return e.unwrap(src, dst);
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts) throws SSLException {
      return e.unwrap(src, dsts);
    }

    @Override
    public Runnable getDelegatedTask() {
      return e.getDelegatedTask();
    }

    @Override
    public void closeInbound() throws SSLException {
      e.closeInbound();
    }

    @Override
    public boolean isInboundDone() {
      return e.isInboundDone();
    }

    @Override
    public void closeOutbound() {
      e.closeOutbound();
    }

    @Override
    public boolean isOutboundDone() {
      return e.isOutboundDone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return e.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
      return e.getEnabledCipherSuites();
    }

    @Override
    public String[] getSupportedProtocols() {
      return e.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
      return e.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
      e.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
      return e.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
      return e.getHandshakeSession();
    }

    @Override
    public void beginHandshake() throws SSLException {
      e.beginHandshake();
    }

    @Override
    public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
      return e.getHandshakeStatus();
    }

    @Override
    public void setUseClientMode(boolean mode) {
      e.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
      return e.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
      e.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
      return e.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
      e.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
      return e.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
      e.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
      return e.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
      return e.getSSLParameters();
    }

    @Override
    public String getApplicationProtocol() {
      return e.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
      return e.getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
      e.setHandshakeApplicationProtocolSelector(selector);
    }

    @Override
    public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
      return e.getHandshakeApplicationProtocolSelector();
    }
  }
}
