package io.frontdesk.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Builds real plugin jars during a test: compiles Java sources, writes the manifest and extension index. */
public final class PluginJars {

  /** What goes into one jar. */
  public static final class Spec {
    final String id;
    String version = "1.0.0";
    String requires = "^" + io.frontdesk.api.PluginApi.version();
    boolean manifest = true;
    final Map<String, String> sources = new HashMap<>();
    final List<String> extensions = new ArrayList<>();
    final Map<String, byte[]> extraEntries = new HashMap<>();

    Spec(String id) {
      this.id = id;
    }

    public Spec version(String v) {
      version = v;
      return this;
    }

    public Spec requires(String r) {
      requires = r;
      return this;
    }

    public Spec withoutManifest() {
      manifest = false;
      return this;
    }

    /** Adds a class; {@code extension} lists it in META-INF/extensions.idx. */
    public Spec source(String className, String code, boolean extension) {
      sources.put(className, code);
      if (extension) {
        extensions.add(className);
      }
      return this;
    }

    /** Lists a class in the extension index without adding it (a "missing class"). */
    public Spec listMissingExtension(String className) {
      extensions.add(className);
      return this;
    }

    /** Copies a class of the test class path into the jar (e.g. an API class a plugin must not bundle). */
    public Spec bundleClassOf(Class<?> c) {
      String res = c.getName().replace('.', '/') + ".class";
      try (var in = c.getClassLoader().getResourceAsStream(res)) {
        extraEntries.put(res, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** Writes the jar to {@code file} (atomically, as an operator's copy-then-rename would). */
    public Path writeTo(Path file) {
      Map<String, byte[]> classes = compile(sources);
      try {
        Path tmp = Files.createTempFile(file.getParent() == null ? Path.of(".") : TestPaths.work(), "jar", ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp)) {
          JarOutputStream jar;
          if (manifest) {
            Manifest m = new Manifest();
            Attributes a = m.getMainAttributes();
            a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            a.putValue("Plugin-Id", id);
            a.putValue("Plugin-Version", version);
            a.putValue("Plugin-Requires", requires);
            a.putValue("Plugin-Provider", "tests");
            a.putValue("Plugin-Description", "built by a test");
            jar = new JarOutputStream(os, m);
          } else {
            jar = new JarOutputStream(os);
          }
          try (jar) {
            if (!extensions.isEmpty()) {
              jar.putNextEntry(new JarEntry("META-INF/extensions.idx"));
              jar.write((String.join("\n", extensions) + "\n").getBytes(StandardCharsets.UTF_8));
              jar.closeEntry();
            }
            for (Map.Entry<String, byte[]> e : classes.entrySet()) {
              jar.putNextEntry(new JarEntry(e.getKey().replace('.', '/') + ".class"));
              jar.write(e.getValue());
              jar.closeEntry();
            }
            for (Map.Entry<String, byte[]> e : extraEntries.entrySet()) {
              jar.putNextEntry(new JarEntry(e.getKey()));
              jar.write(e.getValue());
              jar.closeEntry();
            }
          }
        }
        Files.createDirectories(file.getParent());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private PluginJars() {
  }

  public static Spec plugin(String id) {
    return new Spec(id);
  }

  /** Compiles sources against the test class path; returns class name → bytes. */
  public static Map<String, byte[]> compile(Map<String, String> sources) {
    if (sources.isEmpty()) {
      return Map.of();
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StandardJavaFileManager std = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8);
    Map<String, ByteArrayOutputStream> out = new HashMap<>();
    JavaFileManager fm = new ForwardingJavaFileManager<>(std) {
      @Override
      public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
          FileObject sibling) {
        return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
          @Override
          public OutputStream openOutputStream() {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            out.put(className, b);
            return b;
          }
        };
      }
    };
    List<JavaFileObject> units = new ArrayList<>();
    for (Map.Entry<String, String> s : sources.entrySet()) {
      units.add(new SimpleJavaFileObject(URI.create("string:///" + s.getKey().replace('.', '/') + ".java"),
          JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return s.getValue();
        }
      });
    }
    List<String> options = List.of("--release", "17", "-proc:none", "-classpath", System.getProperty("java.class.path"));
    boolean ok = compiler.getTask(null, fm, diagnostics, options, null, units).call();
    if (!ok) {
      StringBuilder sb = new StringBuilder("plugin source does not compile:\n");
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        sb.append(d).append('\n');
      }
      throw new IllegalStateException(sb.toString());
    }
    Map<String, byte[]> classes = new HashMap<>();
    out.forEach((k, v) -> classes.put(k, v.toByteArray()));
    return classes;
  }

  /**
   * A plugin whose filter stamps {@code x-stamp: <value>} on responses (and {@code x-stamp-seen} on
   * requests); its config schema requires {@code value}.
   */
  public static Spec stamp(String id, String value) {
    String pkg = "test." + id.replace('-', '_');
    String code = """
        package PKG;
        import io.frontdesk.api.*;
        import io.frontdesk.api.exchange.Exchange;
        import io.frontdesk.api.filter.*;
        import io.vertx.core.Future;
        import io.vertx.core.json.JsonObject;
        public class StampFactory implements FilterFactory {
          public int defaultPriority() { return 600; }
          public JsonObject configSchema() {
            return new JsonObject().put("type", "object").put("required", new io.vertx.core.json.JsonArray().add("label"))
                .put("properties", new JsonObject().put("label", new JsonObject().put("type", "string").put("maxLength", 20)))
                .put("additionalProperties", false);
          }
          public Filter create(JsonObject config, PluginContext ctx) {
            String label = config.getString("label");
            return new Filter() {
              public Future<FilterResult> onRequest(Exchange ex) {
                ex.request().headers().add("x-stamp-seen", "VALUE");
                return FilterResult.proceed();
              }
              public Future<FilterResult> onResponse(Exchange ex) {
                ex.response().headers().add("x-stamp", "VALUE:" + label);
                return FilterResult.proceed();
              }
            };
          }
        }
        """.replace("PKG", pkg).replace("VALUE", value);
    return plugin(id).source(pkg + ".StampFactory", code, true);
  }
}
