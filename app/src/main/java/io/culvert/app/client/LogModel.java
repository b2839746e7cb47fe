package io.culvert.app.client;

import io.culvert.engine.api.EngineEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Collectors;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The connection log: every engine log line, a view filtered by minimum level and a search text, and the visible
 * lines as plain text for the clipboard. Keeps the last {@value #MAX_LINES} lines. Used on the FX thread only.
 */
final class LogModel {
    static final int MAX_LINES = 5000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    /** One log line. */
    record Entry(Instant time, EngineEvent.Level level, String message) {
        String format(ZoneId zone) {
            return TIME.withZone(zone).format(time) + "  " + level + "  " + message;
        }
    }

    private final ObservableList<Entry> all = FXCollections.observableArrayList();
    private final FilteredList<Entry> visible = new FilteredList<>(all);
    private final ObjectProperty<EngineEvent.Level> minLevel = new SimpleObjectProperty<>(EngineEvent.Level.DEBUG);
    private final StringProperty search = new SimpleStringProperty("");

    LogModel() {
        minLevel.addListener((o, a, b) -> refilter());
        search.addListener((o, a, b) -> refilter());
    }

    void add(Instant time, EngineEvent.Level level, String message) {
        all.add(new Entry(time, level, message));
        if (all.size() > MAX_LINES) {
            all.remove(0, all.size() - MAX_LINES);
        }
    }

    private void refilter() {
        EngineEvent.Level min = minLevel.get() == null ? EngineEvent.Level.DEBUG : minLevel.get();
        String needle = search.get() == null ? "" : search.get().strip().toLowerCase(Locale.ROOT);
        visible.setPredicate(e -> e.level().compareTo(min) >= 0
                && (needle.isEmpty() || e.message().toLowerCase(Locale.ROOT).contains(needle)));
    }

    ObservableList<Entry> visible() {
        return visible;
    }

    ObservableList<Entry> all() {
        return all;
    }

    ObjectProperty<EngineEvent.Level> minLevelProperty() {
        return minLevel;
    }

    StringProperty searchProperty() {
        return search;
    }

    /** The visible lines, one per line, for the clipboard. */
    String visibleText(ZoneId zone) {
        return visible.stream().map(e -> e.format(zone)).collect(Collectors.joining("\n", "", visible.isEmpty() ? "" : "\n"));
    }
}
