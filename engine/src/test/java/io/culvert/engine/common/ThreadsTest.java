package io.culvert.engine.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A thread made by {@link Threads} that dies of an exception is logged (name, type, stack; no message) and counted. */
class ThreadsTest {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(Threads.class);

    @BeforeEach
    void capture() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() {
        logger.detachAppender(log);
    }

    private static void boom() {
        throw new IllegalStateException("password=hunter2", new java.io.IOException("token=abc123"));
    }

    @Test
    void aPlatformAndAVirtualThreadThatThrowAreLoggedWithTheirNamesAndCounted() throws InterruptedException {
        long before = Threads.uncaught();
        Threads.platform("culvert-test-dies").daemon().start(ThreadsTest::boom).join();
        Threads.virtual("culvert-test-dies-virtual").start(ThreadsTest::boom).join();
        assertEquals(before + 2, Threads.uncaught());
        List<ILoggingEvent> events = log.list.stream().filter(e -> e.getFormattedMessage().contains("culvert-test-dies")).toList();
        assertEquals(2, events.size(), log.list.toString());
        for (ILoggingEvent e : events) {
            String text = e.getFormattedMessage() + "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy());
            assertTrue(text.contains("died of an uncaught java.lang.IllegalStateException"), text);
            assertTrue(text.contains("java.io.IOException") && text.contains("ThreadsTest.boom"), text);
            assertFalse(text.contains("hunter2") || text.contains("abc123"), text);
        }
    }

    @Test
    void aThreadFromAFactoryHasTheHandlerToo() throws InterruptedException {
        long before = Threads.uncaught();
        Thread t = Threads.platform("culvert-test-pool").factory().newThread(ThreadsTest::boom);
        assertEquals("culvert-test-pool", t.getName());
        t.start();
        t.join();
        assertEquals(before + 1, Threads.uncaught());
    }
}
