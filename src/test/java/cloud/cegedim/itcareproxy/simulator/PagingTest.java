package cloud.cegedim.itcareproxy.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.MultiMap;

class PagingTest {

    private static final Set<String> SORTABLE = Set.of("id", "name", "cpu");

    private static List<ObjectNode> items(int count) {
        List<ObjectNode> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode item = Json.object();
            item.put("id", 100 + i);
            item.put("name", "vm" + (char) ('a' + (i * 7) % 26));
            item.put("cpu", i % 3 == 0 ? 8 : 2);
            items.add(item);
        }
        return items;
    }

    private static MultiMap query(String... pairs) {
        MultiMap query = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < pairs.length; i += 2) {
            query.add(pairs[i], pairs[i + 1]);
        }
        return query;
    }

    private static List<Long> ids(ObjectNode page) {
        List<Long> ids = new ArrayList<>();
        page.get("content").forEach(item -> ids.add(item.get("id").asLong()));
        return ids;
    }

    @Test
    void defaultsToTheFirstPageOfTwentyUnsorted() {
        ObjectNode page = Paging.page(items(45), Paging.parse(query(), SORTABLE));

        assertThat(page.toString()).endsWith(
                "\"totalElements\":45,\"totalPages\":3,\"number\":0,\"size\":20,\"numberOfElements\":20,"
                        + "\"first\":true,\"last\":false,\"empty\":false,"
                        + "\"sort\":{\"empty\":true,\"sorted\":false,\"unsorted\":true}}");
        assertThat(ids(page)).first().isEqualTo(100L);
        assertThat(ids(page)).last().isEqualTo(119L);
    }

    @Test
    void pageIsZeroBasedAndTheLastPageIsShort() {
        ObjectNode page = Paging.page(items(45), Paging.parse(query("page", "2", "size", "20"), SORTABLE));

        assertThat(ids(page)).containsExactly(140L, 141L, 142L, 143L, 144L);
        assertThat(page.get("number").asInt()).isEqualTo(2);
        assertThat(page.get("numberOfElements").asInt()).isEqualTo(5);
        assertThat(page.get("first").asBoolean()).isFalse();
        assertThat(page.get("last").asBoolean()).isTrue();
    }

    @Test
    void aPageBeyondTheEndIsEmptyButKeepsTheTotals() {
        ObjectNode page = Paging.page(items(5), Paging.parse(query("page", "3", "size", "2"), SORTABLE));

        assertThat(page.get("content").size()).isZero();
        assertThat(page.get("totalElements").asLong()).isEqualTo(5);
        assertThat(page.get("totalPages").asInt()).isEqualTo(3);
        assertThat(page.get("empty").asBoolean()).isTrue();
        assertThat(page.get("last").asBoolean()).isTrue();
    }

    @Test
    void anEmptyListHasZeroPagesAndIsBothFirstAndLast() {
        ObjectNode page = Paging.page(List.of(), Paging.parse(query(), SORTABLE));

        assertThat(page.toString()).isEqualTo("{\"content\":[],\"totalElements\":0,\"totalPages\":0,\"number\":0,"
                + "\"size\":20,\"numberOfElements\":0,\"first\":true,\"last\":true,\"empty\":true,"
                + "\"sort\":{\"empty\":true,\"sorted\":false,\"unsorted\":true}}");
    }

    @Test
    void sortsDescendingAndKeepsTheStoreOrderForTies() {
        ObjectNode page = Paging.page(items(7), Paging.parse(query("sort", "cpu,desc"), SORTABLE));

        assertThat(ids(page)).containsExactly(100L, 103L, 106L, 101L, 102L, 104L, 105L);
        assertThat(page.get("sort").toString()).isEqualTo("{\"empty\":false,\"sorted\":true,\"unsorted\":false}");
    }

    @Test
    void repeatedSortParametersApplyInOrder() {
        ObjectNode page = Paging.page(items(7), Paging.parse(query("sort", "cpu,asc", "sort", "name,desc"), SORTABLE));

        // cpu 2: names vmh(101) vmo(102) vmc(104) vmj(105); cpu 8: vma(100) vmv(103) vmq(106)
        assertThat(ids(page)).containsExactly(102L, 105L, 101L, 104L, 103L, 106L, 100L);
    }

    @Test
    void aSortWithoutDirectionIsAscending() {
        ObjectNode page = Paging.page(items(5), Paging.parse(query("sort", "name"), SORTABLE));

        // names: vma(100) vmh(101) vmo(102) vmv(103) vmc(104)
        assertThat(ids(page)).containsExactly(100L, 104L, 101L, 102L, 103L);
    }

    @ParameterizedTest(name = "size={0} is refused")
    @CsvSource({ "0", "-1", "1001", "abc", "''", "2.5", "99999999999" })
    void refusesASizeOutsideOneToAThousand(String size) {
        assertThatThrownBy(() -> Paging.parse(query("size", size), SORTABLE))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.toJson().toString()).isEqualTo(
                        "{\"status\":\"BAD_REQUEST\",\"errorCode\":\"INVALID_FIELD_VALUE\",\"errorDesc\":\"size\","
                                + "\"errorMessage\":\"Error on field 'size'\"}"));
    }

    @Test
    void acceptsTheMaximumSize() {
        assertThat(Paging.parse(query("size", "1000"), SORTABLE).size()).isEqualTo(1000);
    }

    @ParameterizedTest(name = "page={0} is refused")
    @CsvSource({ "-1", "x", "''" })
    void refusesANegativeOrNonNumericPage(String page) {
        assertThatThrownBy(() -> Paging.parse(query("page", page), SORTABLE))
                .isInstanceOfSatisfying(ApiError.class,
                        e -> assertThat(e.toJson().get("errorDesc").asText()).isEqualTo("page"));
    }

    @ParameterizedTest(name = "sort={0} is refused")
    @CsvSource({ "password", "'name,sideways'", "',desc'", "''" })
    void refusesASortOnAnUnknownProperty(String sort) {
        assertThatThrownBy(() -> Paging.parse(query("sort", sort), SORTABLE))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.toJson().get("errorDesc").asText()).isEqualTo("sort");
                });
    }
}
