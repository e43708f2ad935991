package io.enigm.server.support.ids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    @Test
    void idsAreUrlSafeDistinctAndSortByCreationTime() throws InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 1_000; j++) {
                ids.add(TimeOrderedIds.next());
            }
            Thread.sleep(2);
        }
        Set<String> distinct = new HashSet<>(ids);
        assertEquals(ids.size(), distinct.size());
        for (String id : ids) {
            assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
        }
        // ids of different milliseconds sort in their order; within one millisecond, randomly
        for (int i = 1_000; i < ids.size(); i += 1_000) {
            String earlier = ids.get(i - 1);
            String later = ids.get(i);
            assertTrue(earlier.compareTo(later) < 0, earlier + " before " + later);
        }
    }

    @Test
    void theTrailingCharactersAreRandom() {
        Set<Character> last = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            String id = TimeOrderedIds.next();
            last.add(id.charAt(id.length() - 2));
        }
        assertTrue(last.size() > 32, "the trailing characters are random: " + last.size());
    }
}
