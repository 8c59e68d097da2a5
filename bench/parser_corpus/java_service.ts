/** Generated Java service (Spring Boot / logback) messages, exception lines and stack frames. @module */
import type { CorpusFamily } from "./corpus_template.ts";

/** Java service messages: logger names, exceptions and `at` frames, one line each. */
export const javaService: CorpusFamily = {
  name: "JavaService",
  describes: "Java service (logback) with exceptions and stack frames",
  templates: [
    `[http-nio-8080-exec-{num}] INFO  c.a.orders.web.OrderController - Created order {uuid} for customer {num} in {dur}`,
    `[http-nio-8080-exec-{num}] WARN  c.a.orders.web.OrderController - Order {uuid} rejected: insufficient stock for sku {hex}`,
    `[http-nio-8080-exec-{num}] ERROR o.a.c.c.C.[.[.[/].[dispatcherServlet] - Servlet.service() for servlet [dispatcherServlet] threw exception`,
    `[scheduling-1] INFO  c.a.billing.InvoiceJob - Invoice run finished: {num} invoices, {num} failed, took {dur}`,
    `[kafka-consumer-{num}] INFO  o.a.k.c.c.internals.ConsumerCoordinator - [Consumer clientId=consumer-{word}-{num}, groupId={word}] Setting offset for partition {word}-{num} to the committed offset FetchPosition{offset={num}, offsetEpoch=Optional.empty}`,
    `[HikariPool-1 housekeeper] WARN  com.zaxxer.hikari.pool.HikariPool - HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta={dur}).`,
    `[main] INFO  o.s.b.w.embedded.tomcat.TomcatWebServer - Tomcat started on port {port} (http) with context path ''`,
    `[main] INFO  com.acme.orders.OrdersApplication - Started OrdersApplication in {num}.{num} seconds (process running for {num}.{num})`,
    `java.net.SocketTimeoutException: Read timed out after {num} ms calling http://{host}:{port}{path}`,
    `org.postgresql.util.PSQLException: Connection to {host}:{port} refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.`,
    `java.lang.IllegalStateException: Order {uuid} is already in state SHIPPED`,
    `\tat com.acme.orders.service.OrderService.place(OrderService.java:{num})`,
    `\tat com.acme.orders.web.OrderController.create(OrderController.java:{num})`,
    `\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:{num})`,
    `\tat java.base/java.lang.Thread.run(Thread.java:{num})`,
    `Caused by: java.net.ConnectException: Connection refused: {host}/{ip}:{port}`,
    `\t... {num} common frames omitted`,
  ],
};
