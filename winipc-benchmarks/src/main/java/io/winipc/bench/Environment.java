package io.winipc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Where and when the harness ran, and how busy the machine was with other work. */
record Environment(String date, String machine, String os, String jdk, int processors, String loadAverage,
        String otherBusyPercent) {

    static Environment sample(String machine) {
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + ")";
        String jdk = System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version");
        return new Environment(date, machine == null ? "unknown" : machine, os, jdk, Runtime.getRuntime().availableProcessors(),
                readLoadAverage(), busyPercent());
    }

    private static Path proc(String file) {
        // Under Wine, Linux's /proc is visible as Z:\proc.
        return Peer.isWindows() ? Path.of("Z:\\proc\\" + file) : Path.of("/proc/" + file);
    }

    private static String readLoadAverage() {
        try {
            String[] f = Files.readString(proc("loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** CPU time used on the whole machine during one second (this process idle meanwhile), in percent. */
    private static String busyPercent() {
        try {
            long[] a = cpu();
            Thread.sleep(1000);
            long[] b = cpu();
            double total = b[0] - a[0];
            double idle = b[1] - a[1];
            return total <= 0 ? "unknown" : String.format("%.0f%%", 100 * (total - idle) / total);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static long[] cpu() throws IOException {
        String line = Files.readAllLines(proc("stat")).get(0);
        String[] f = line.trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total, idle};
    }
}
