package io.rowseal.hibernate.internal;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.hibernate.HibernateException;
import org.hibernate.type.descriptor.ValueBinder;
import org.hibernate.type.descriptor.ValueExtractor;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.descriptor.jdbc.JdbcLiteralFormatter;
import org.hibernate.type.descriptor.jdbc.JdbcType;
import org.hibernate.type.spi.TypeConfiguration;
import org.jspecify.annotations.Nullable;

/**
 * The JDBC type of an {@code @Encrypted} attribute: Hibernate's own type for the field (same type codes,
 * so query typing and schema tooling see what they saw before), with a binder and an extractor that hand
 * the attribute's Java value to the RowSeal JDBC wrapper as it is ({@code setObject(index, value)},
 * {@code getObject(index, type)}) and never log it.
 *
 * <p>Why: Hibernate's standard binders log each bound value at TRACE ({@code org.hibernate.orm.jdbc.bind})
 * and each extracted value ({@code org.hibernate.orm.jdbc.extract}) before the wrapper encrypts or after it
 * decrypts, which would put the plaintext of encrypted columns into logs. Passing the Java value itself also
 * keeps what RowSeal encodes exact (an {@code OffsetDateTime} keeps its offset, an enum its name) instead of
 * what Hibernate would convert it to for a plaintext column. Write expressions stay a bare {@code ?} (no
 * casts around an encrypted value), no check constraints or auxiliary objects are added, and if Hibernate
 * asks this type to render a value as a SQL literal it refuses (HQL string literals written in the query
 * text are rendered by Hibernate without this type; the engine encrypts or refuses those). Immutable,
 * thread-safe.
 */
final class EncryptedJdbcType implements JdbcType {
  private final JdbcType plain;

  EncryptedJdbcType(JdbcType plain) {
    this.plain = plain;
  }

  @Override
  public int getJdbcTypeCode() {
    return plain.getJdbcTypeCode();
  }

  @Override
  public int getDefaultSqlTypeCode() {
    return plain.getDefaultSqlTypeCode();
  }

  @Override
  public int getDdlTypeCode() {
    return plain.getDdlTypeCode();
  }

  @Override
  public String getFriendlyName() {
    return "RowSeal encrypted " + plain.getFriendlyName();
  }

  @Override
  public JavaType<?> getRecommendedJavaType(@Nullable Integer precision, @Nullable Integer scale,
      TypeConfiguration typeConfiguration) {
    return plain.getRecommendedJavaType(precision, scale, typeConfiguration);
  }

  @Override
  public Class<?> getPreferredJavaTypeClass(WrapperOptions options) {
    return plain.getPreferredJavaTypeClass(options);
  }

  @Override
  public <T> JdbcLiteralFormatter<T> getJdbcLiteralFormatter(JavaType<T> javaType) {
    return (appender, value, dialect, options) -> {
      throw new HibernateException("RowSeal: a value of an @Encrypted attribute cannot be rendered as a SQL"
          + " literal (it would reach the database and the SQL log in plaintext); bind it as a parameter");
    };
  }

  @Override
  public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
    return new ValueBinder<>() {
      @Override
      public void bind(PreparedStatement st, @Nullable X value, int index, WrapperOptions options)
          throws SQLException {
        if (value == null) {
          st.setNull(index, plain.getJdbcTypeCode());
        } else {
          st.setObject(index, value);
        }
      }

      @Override
      public void bind(CallableStatement st, @Nullable X value, String name, WrapperOptions options)
          throws SQLException {
        if (value == null) {
          st.setNull(name, plain.getJdbcTypeCode());
        } else {
          st.setObject(name, value);
        }
      }
    };
  }

  @Override
  public <X> ValueExtractor<X> getExtractor(JavaType<X> javaType) {
    Class<X> type = javaType.getJavaTypeClass();
    return new ValueExtractor<>() {
      @Override
      public @Nullable X extract(ResultSet rs, int paramIndex, WrapperOptions options) throws SQLException {
        return rs.getObject(paramIndex, type);
      }

      @Override
      public @Nullable X extract(CallableStatement statement, int paramIndex, WrapperOptions options)
          throws SQLException {
        return statement.getObject(paramIndex, type);
      }

      @Override
      public @Nullable X extract(CallableStatement statement, String paramName, WrapperOptions options)
          throws SQLException {
        return statement.getObject(paramName, type);
      }
    };
  }

  @Override
  public String toString() {
    return "EncryptedJdbcType[" + plain.getFriendlyName() + "]";
  }
}
