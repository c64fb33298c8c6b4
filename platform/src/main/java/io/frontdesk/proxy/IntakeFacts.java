package io.frontdesk.proxy;

/** What both views of a request (as it came, as it goes upstream) read alike from the intake. */
abstract class IntakeFacts {

  final RequestIntake intake;
  private final String scheme;

  IntakeFacts(RequestIntake intake, String scheme) {
    this.intake = intake;
    this.scheme = scheme;
  }

  public String method() {
    return intake.request().method().name();
  }

  public String host() {
    return intake.host();
  }

  public String scheme() {
    return scheme;
  }

  public String protocol() {
    return intake.protocol();
  }
}
