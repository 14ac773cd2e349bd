package cloud.cegedim.itcareproxy.upstream;

import java.net.URI;

/**
 * The parsed upstream base URL, computed once: where connections go and the path prefix that every forwarded target is
 * appended to, byte for byte.
 */
public record UpstreamTarget(String host, int port, boolean ssl, String basePath) {

    public static UpstreamTarget of(String url) {
        URI uri = URI.create(url);
        boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : (ssl ? 443 : 80);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new UpstreamTarget(uri.getHost(), port, ssl, path);
    }

    /** The upstream request target for a client's origin-form target ({@code /compute/instances?page=0}). */
    public String target(String originForm) {
        return basePath.isEmpty() ? originForm : basePath.concat(originForm);
    }

    @Override
    public String toString() {
        return (ssl ? "https://" : "http://") + host + ":" + port + basePath;
    }
}
