package cloud.cegedim.itcareproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void keepsSaneIdsAndReplacesOthers() {
        assertThat(RequestIds.keepOrCreate("3f2b8c1e-0a4d-4e6b-9c7d-1234567890ab")).isEqualTo("3f2b8c1e-0a4d-4e6b-9c7d-1234567890ab");
        assertThat(RequestIds.keepOrCreate("app/1:2.3_4+5=")).isEqualTo("app/1:2.3_4+5=");
        assertThat(RequestIds.keepOrCreate("a b")).matches("[0-9a-f]{32}");
        assertThat(RequestIds.keepOrCreate("x\r\nInjected: 1")).matches("[0-9a-f]{32}");
        assertThat(RequestIds.keepOrCreate("")).matches("[0-9a-f]{32}");
        assertThat(RequestIds.keepOrCreate("a".repeat(129))).matches("[0-9a-f]{32}");
        assertThat(RequestIds.keepOrCreate(null)).matches("[0-9a-f]{32}");
    }

    @Test
    void createdIdsDiffer() {
        assertThat(RequestIds.create()).isNotEqualTo(RequestIds.create());
    }
}
