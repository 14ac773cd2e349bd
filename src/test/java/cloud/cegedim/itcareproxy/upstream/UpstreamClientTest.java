package cloud.cegedim.itcareproxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class UpstreamClientTest {

    @Test
    void theKeepAliveTimeoutIsRoundedUpToWholeSecondsAndIsAtLeastOne() {
        assertThat(UpstreamClient.keepAliveSeconds(Duration.ofSeconds(30))).isEqualTo(30);
        assertThat(UpstreamClient.keepAliveSeconds(Duration.ofMillis(1_500))).isEqualTo(2);
        assertThat(UpstreamClient.keepAliveSeconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(UpstreamClient.keepAliveSeconds(Duration.ofDays(1_000_000))).isEqualTo(Integer.MAX_VALUE);
    }
}
