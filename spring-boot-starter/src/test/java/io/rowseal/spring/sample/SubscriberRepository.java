package io.rowseal.spring.sample;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.transaction.annotation.Transactional;

/** Spring Data derived queries on searchable encrypted attributes. */
public interface SubscriberRepository extends JpaRepository<Subscriber, Long> {
  Optional<Subscriber> findByEmail(String email);

  boolean existsByEmail(String email);

  long countByEmail(String email);

  @Transactional
  long deleteByEmail(String email);

  List<Subscriber> findByPhoneOrderByIdAsc(String phone);

  boolean existsByPhone(String phone);

  long countByPhone(String phone);

  @Transactional
  long deleteByPhone(String phone);
}
